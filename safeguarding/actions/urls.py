from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.action_log, name="log"),
    path("recommendations/add/", views.recommendation_add, name="recommendation-add"),
    path("recommendations/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("<int:pk>/", views.action_edit, name="action-edit"),
]
