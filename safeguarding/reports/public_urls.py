"""Published yearly reports, readable without signing in."""
from django.urls import path

from . import views

app_name = "published"
urlpatterns = [
    path("<slug:slug>/", views.public_index, name="index"),
    path("<slug:slug>/<int:year>/", views.public_report, name="latest"),
    path("<slug:slug>/<int:year>/v<int:version>/", views.public_report, name="version"),
    path("<slug:slug>/<int:year>/v<int:version>/report.pdf", views.public_file, {"form": "pdf"}, name="pdf"),
    path("<slug:slug>/<int:year>/v<int:version>/report.docx", views.public_file, {"form": "docx"}, name="docx"),
]
