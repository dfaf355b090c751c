from django.urls import path

from safeguarding.dashboard import views, workforce

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("table.csv", views.table_download, {"form": "csv"}, name="table-csv"),
    path("table.xlsx", views.table_download, {"form": "xlsx"}, name="table-xlsx"),
    path("charts.csv", views.chart_data_download, {"form": "csv"}, name="chart-data-csv"),
    path("charts.xlsx", views.chart_data_download, {"form": "xlsx"}, name="chart-data-xlsx"),
    path("chart.svg", views.chart_image, {"form": "svg"}, name="chart-svg"),
    path("chart.png", views.chart_image, {"form": "png"}, name="chart-png"),
    path("workforce.csv", workforce.download, {"form": "csv"}, name="workforce-csv"),
    path("workforce.xlsx", workforce.download, {"form": "xlsx"}, name="workforce-xlsx"),
    path("workforce-chart.svg", workforce.chart_image, {"form": "svg"}, name="workforce-chart-svg"),
    path("workforce-chart.png", workforce.chart_image, {"form": "png"}, name="workforce-chart-png"),
]
