from django.contrib import admin

from execsponsor.playbooks.models import Playbook, PlaybookRun, PlaybookStep, Task


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    pass


@admin.register(PlaybookStep)
class PlaybookStepAdmin(admin.ModelAdmin):
    raw_id_fields = ("playbook",)


@admin.register(PlaybookRun)
class PlaybookRunAdmin(admin.ModelAdmin):
    raw_id_fields = ("playbook", "account", "sponsorship", "alert", "started_by")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    raw_id_fields = ("run", "step", "account", "owner")
