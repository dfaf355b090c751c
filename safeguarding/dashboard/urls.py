from django.urls import path

from safeguarding.dashboard import disproportionality_views, views, workforce

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

# Which children go further (disproportionality at each decision point; ADR 0028)
urlpatterns += [
    path("which-children-go-further/", disproportionality_views.page, name="disproportionality"),
    path("which-children-go-further.csv", disproportionality_views.download, {"form": "csv"},
         name="disproportionality-csv"),
    path("which-children-go-further.xlsx", disproportionality_views.download, {"form": "xlsx"},
         name="disproportionality-xlsx"),
    path("which-children-go-further.svg", disproportionality_views.chart, {"form": "svg"},
         name="disproportionality-svg"),
    path("which-children-go-further.png", disproportionality_views.chart, {"form": "png"},
         name="disproportionality-png"),
]
