from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "execsponsor.signals"
    label = "signals"
    verbose_name = "Signals"
