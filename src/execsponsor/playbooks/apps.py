from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "execsponsor.playbooks"
    label = "playbooks"
    verbose_name = "Playbooks"
