from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "execsponsor.insights"
    label = "insights"
    verbose_name = "Insights"
