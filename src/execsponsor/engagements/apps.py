from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "execsponsor.engagements"
    label = "engagements"
    verbose_name = "Engagements"
