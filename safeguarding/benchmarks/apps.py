from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "safeguarding.benchmarks"
    label = "benchmarks"
    verbose_name = "Published benchmarks, populations and statistical neighbours"
