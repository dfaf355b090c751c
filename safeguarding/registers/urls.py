from django.urls import path

from safeguarding.core.views import moved

from . import views
from .views import fostering, surveys, training, voice

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("archived/", moved("core:archived"), name="moved-archived"),  # moved into core (issue 20)
    # Private fostering
    path("private-fostering/", fostering.index, name="fostering"),
    path("private-fostering/add/", fostering.arrangement_form, name="arrangement-add"),
    path("private-fostering/<int:pk>/", fostering.arrangement, name="arrangement"),
    path("private-fostering/<int:pk>/change/", fostering.arrangement_form, name="arrangement-edit"),
    path("private-fostering/<int:pk>/visits/add/", fostering.visit_add, name="visit-add"),
    path("private-fostering/visits/<int:pk>/change/", fostering.visit_edit, name="visit-edit"),
    # Training and its impact
    path("training/", training.index, name="training"),
    path("training/courses/add/", training.course_form, name="course-add"),
    path("training/courses/<int:pk>/", training.course, name="course"),
    path("training/courses/<int:pk>/change/", training.course_form, name="course-edit"),
    path("training/courses/<int:pk>/sessions/add/", training.session_add, name="session-add"),
    path("training/sessions/<int:pk>/", training.session, name="session"),
    path("training/sessions/<int:pk>/change/", training.session_edit, name="session-edit"),
    path("training/sessions/<int:pk>/attendance/add/", training.attendance_add, name="attendance-add"),
    path("training/attendance/<int:pk>/change/", training.attendance_edit, name="attendance-edit"),
    path("training/attendance/<int:pk>/evaluations/add/", training.evaluation_add, name="evaluation-add"),
    path("training/evaluations/<int:pk>/change/", training.evaluation_edit, name="evaluation-edit"),
    # Surveys
    path("surveys/", surveys.index, name="surveys"),
    path("surveys/add/", surveys.survey_form, name="survey-add"),
    path("surveys/<int:pk>/", surveys.survey, name="survey"),
    path("surveys/<int:pk>/change/", surveys.survey_form, name="survey-edit"),
    path("surveys/<int:pk>/status/", surveys.survey_status, name="survey-status"),
    path("surveys/<int:pk>/questions/add/", surveys.question_add, name="question-add"),
    path("surveys/questions/<int:pk>/change/", surveys.question_edit, name="question-edit"),
    path("surveys/<int:pk>/results/", surveys.results, name="survey-results"),
    path("surveys/<int:pk>/responses.csv", surveys.responses_csv, name="survey-csv"),
    path("surveys/<int:pk>/word-cloud.png", surveys.word_cloud_png, name="word-cloud"),
    path("surveys/<int:pk>/quotes/add/", surveys.quote_add, name="quote-add"),
    path("surveys/quotes/<int:pk>/change/", surveys.quote_edit, name="quote-edit"),
    # The voice of children and families
    path("you-said-we-did/", voice.index, name="voice"),
    path("you-said-we-did/add/", voice.voice_form, name="voice-add"),
    path("you-said-we-did/<int:pk>/", voice.record, name="voice-record"),
    path("you-said-we-did/<int:pk>/change/", voice.voice_form, name="voice-edit"),
]
