"""Pages that need no account: answering a survey through its link."""
from django.urls import path

app_name = "survey"
urlpatterns = []
