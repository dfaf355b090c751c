from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sections/<slug:section>/", views.edit_section, name="edit-section"),
    path("<int:pk>/context/add/", views.add_context_figure, name="add-context"),
    path("<int:pk>/figures/add/", views.add_figure, name="add-figure"),
    path("<int:pk>/<slug:kind>/<int:part>/remove/", views.remove_part, name="remove-part"),
    path("<int:pk>/final/", views.mark_final, name="mark-final"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign-off"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/new-version/", views.new_version, name="new-version"),
    path("<int:pk>/report.html", views.download, {"form": "html"}, name="html"),
    path("<int:pk>/report.pdf", views.download, {"form": "pdf"}, name="pdf"),
    path("<int:pk>/report.docx", views.download, {"form": "docx"}, name="docx"),
]
