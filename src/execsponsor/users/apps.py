from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "execsponsor.users"
    label = "users"
    verbose_name = "Our people"
