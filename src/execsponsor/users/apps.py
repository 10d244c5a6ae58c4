from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "execsponsor.users"
    label = "users"
    verbose_name = "Our people"

    def ready(self) -> None:
        # Register the rules-based permissions (execsponsor.import_data, …) before any request asks for them.
        from execsponsor.users import permissions  # noqa: F401
