from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CustomersConfig(AppConfig):
    name = "execsponsor.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from execsponsor.customers.search_index import after_migrate

        # SQLite loses triggers when a later migration rebuilds the accounts table; put them back.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="customers_account_search_index")
