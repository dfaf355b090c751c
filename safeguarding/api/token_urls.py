from django.urls import path

from safeguarding.api import views

app_name = "api-token"
urlpatterns = [
    path("", views.api_token, name="manage"),
]
