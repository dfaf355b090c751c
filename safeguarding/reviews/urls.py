from django.urls import path

from safeguarding.actions.models import Action, Recommendation
from safeguarding.core.views import moved

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
    # Moved to the action log (issue 20): the old addresses send bookmarks on.
    path("actions/", moved("actions:log"), name="moved-action-log"),
    path("actions/<int:pk>/", moved("actions:action-edit", Action), name="moved-action"),
    path("recommendations/add/", moved("actions:recommendation-add"), name="moved-recommendation-add"),
    path("recommendations/<int:pk>/actions/add/", moved("actions:action-add", Recommendation), name="moved-action-add"),
]
