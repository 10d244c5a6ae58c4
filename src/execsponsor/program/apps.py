from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "execsponsor.program"
    label = "program"
    verbose_name = "Program"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from execsponsor.playbooks.models import Task

        post_save.connect(_task_saved, sender=Task, dispatch_uid="program-review-decision-follows-task")


def _task_saved(sender, instance, created: bool, **kwargs) -> None:
    """A review decision follows its task when the owner completes, skips, reopens or hands it on."""
    if created:
        return
    from execsponsor.program.review_services import decision_follow_task

    decision_follow_task(instance)
