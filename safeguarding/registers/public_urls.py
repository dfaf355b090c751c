"""Pages that need no account: answering a survey through its link."""
from django.urls import path

from .views import public

app_name = "survey"
urlpatterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/thank-you/", public.thanks, name="thanks"),
]
