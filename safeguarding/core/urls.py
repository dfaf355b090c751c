from django.urls import path

from safeguarding.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_trail, name="audit-trail"),
    path("audit/<int:pk>/", views.audit_event, name="audit-event"),
    path("access-log/", views.access_log, name="access-log"),
    path("archived/", views.archived, name="archived"),
    path("archive/<slug:kind>/<int:pk>/", views.archive, name="archive"),
    path("restore/<slug:kind>/<int:pk>/", views.restore, name="restore"),
]
