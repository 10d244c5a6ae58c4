from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "execsponsor.program"
    label = "program"
    verbose_name = "Program"
