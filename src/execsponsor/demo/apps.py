from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "execsponsor.demo"
    label = "demo"
    verbose_name = "Demo company"
