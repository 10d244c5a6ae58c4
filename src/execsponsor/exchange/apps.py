from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "execsponsor.exchange"
    label = "exchange"
    verbose_name = "Import and export"
