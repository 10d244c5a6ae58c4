from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "execsponsor.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
