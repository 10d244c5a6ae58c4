from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "execsponsor.notify"
    label = "notify"
    verbose_name = "Notifications"
