from django.contrib import admin

from execsponsor.playbooks.models import Playbook, PlaybookRun, PlaybookStep, Task, TaskComment, TaskPolicy


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ("name", "trigger", "is_active", "built_in")


@admin.register(PlaybookStep)
class PlaybookStepAdmin(admin.ModelAdmin):
    raw_id_fields = ("playbook",)


@admin.register(PlaybookRun)
class PlaybookRunAdmin(admin.ModelAdmin):
    raw_id_fields = ("playbook", "account", "sponsorship", "alert", "started_by")
    list_display = ("playbook", "account", "anchor_date", "status", "cause_key")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    raw_id_fields = ("run", "step", "account", "owner", "escalates")
    list_display = ("title", "owner", "due_on", "status", "escalated_at")


@admin.register(TaskComment)
class TaskCommentAdmin(admin.ModelAdmin):
    raw_id_fields = ("task", "author")


@admin.register(TaskPolicy)
class TaskPolicyAdmin(admin.ModelAdmin):
    list_display = ("escalation_grace_days", "updated_by", "updated_at")
