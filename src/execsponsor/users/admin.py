from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from execsponsor.users.models import ApiToken, Executive, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("ExecSponsor", {"fields": ("role", "title", "time_zone", "source", "external_id")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("ExecSponsor", {"fields": ("role",)}))


@admin.register(Executive)
class ExecutiveAdmin(admin.ModelAdmin):
    list_display = ("__str__", "level", "capacity_min", "capacity_max", "is_active")
    list_filter = ("level", "function", "is_active")
    raw_id_fields = ("user", "reports_to")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "hint", "created_at", "revoked_at")
    readonly_fields = ("key_hash", "hint")
