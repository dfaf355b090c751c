from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.index, name="index"),
    path("incidents/add/", views.incident_form, name="incident-add"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/change/", views.incident_form, name="incident-edit"),
    path("incidents/<int:pk>/review/", views.review_form, name="review"),
    path("incidents/<int:pk>/documents/add/", views.document_add, name="document-add"),
    path("incidents/<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("incidents/<int:pk>/recommendations/add/", views.recommendation_add, name="incident-recommendation-add"),
]
