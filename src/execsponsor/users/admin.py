from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from execsponsor.users.models import ApiToken, EnablementCompletion, EnablementItem, Executive, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("ExecSponsor", {"fields": ("role", "title", "time_zone", "source", "external_id")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("ExecSponsor", {"fields": ("role",)}))
    # Staff status follows the role (User.save): the admin role is staff and superuser, nobody else.
    readonly_fields = ("is_staff", "is_superuser")


@admin.register(Executive)
class ExecutiveAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "level", "capacity_min", "capacity_max", "is_active")
    list_filter = ("level", "function", "is_active")
    raw_id_fields = ("user", "reports_to")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "hint", "created_at", "revoked_at")
    readonly_fields = ("key_hash", "hint")


@admin.register(EnablementItem)
class EnablementItemAdmin(SimpleHistoryAdmin):
    list_display = ("label", "key", "audience", "position", "is_active")
    list_filter = ("audience", "is_active")
    search_fields = ("label", "key")


@admin.register(EnablementCompletion)
class EnablementCompletionAdmin(SimpleHistoryAdmin):
    list_display = ("executive", "item", "completed_on", "recorded_by")
    list_select_related = ("executive__user", "item", "recorded_by")
    raw_id_fields = ("executive", "recorded_by")
