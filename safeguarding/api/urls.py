from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from safeguarding.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("p/<slug:slug>/indicator-values/", views.IndicatorValueList.as_view(), name="indicator-values"),
    path("p/<slug:slug>/benchmarks/", views.BenchmarkValueList.as_view(), name="benchmarks"),
]
