from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from execsponsor.engagements.models import Commitment, Engagement, EngagementAttendee, EngagementContact


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "account", "kind", "occurred_at", "counts")
    list_filter = ("kind", "counts")
    search_fields = ("subject", "external_id")
    raw_id_fields = ("account", "sponsorship", "owner")
    list_select_related = ("account",)
    date_hierarchy = "occurred_at"


@admin.register(EngagementContact)
class EngagementContactAdmin(admin.ModelAdmin):
    raw_id_fields = ("engagement", "contact")


@admin.register(EngagementAttendee)
class EngagementAttendeeAdmin(admin.ModelAdmin):
    raw_id_fields = ("engagement", "user")


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    raw_id_fields = ("engagement", "owner", "task")
