from django.urls import path

from safeguarding.forecast import views

app_name = "forecast"
urlpatterns = [
    path("", views.forecast_page, name="index"),
    path("forecast.csv", views.download, {"form": "csv"}, name="csv"),
    path("forecast.xlsx", views.download, {"form": "xlsx"}, name="xlsx"),
    path("scenarios/save", views.save_scenario, name="save"),
    path("scenarios/", views.compare, name="compare"),
]
