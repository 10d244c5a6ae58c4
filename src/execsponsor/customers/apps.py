from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "execsponsor.customers"
    label = "customers"
    verbose_name = "Customers"
