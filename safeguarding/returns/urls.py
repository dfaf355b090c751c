from django.urls import path

from safeguarding.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="import"),
    path("<int:pk>/quality/", views.quality, name="quality"),
]
