from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from execsponsor.customers.models import (
    Account,
    AdvocacyActivity,
    Advocate,
    Contact,
    Opportunity,
    Outcome,
    QuarterlyRevenue,
    RelationshipLevel,
    SatisfactionResponse,
    UsageFigure,
)


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ("name", "segment", "industry", "arr", "health_band", "owner")
    list_filter = ("segment", "health_band", "lifecycle")
    search_fields = ("name", "external_id", "domain")
    raw_id_fields = ("owner", "csm")
    list_select_related = ("owner",)


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "title", "account", "seniority", "status")
    list_filter = ("seniority", "status", "support")
    search_fields = ("last_name", "email", "external_id")
    raw_id_fields = ("account", "reports_to")
    list_select_related = ("account",)


@admin.register(RelationshipLevel)
class RelationshipLevelAdmin(admin.ModelAdmin):
    raw_id_fields = ("user", "contact")


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "stage", "amount", "close_date")
    search_fields = ("name", "external_id")
    raw_id_fields = ("account", "owner")


@admin.register(QuarterlyRevenue)
class QuarterlyRevenueAdmin(admin.ModelAdmin):
    raw_id_fields = ("account",)


@admin.register(SatisfactionResponse)
class SatisfactionResponseAdmin(admin.ModelAdmin):
    raw_id_fields = ("account", "contact")


@admin.register(UsageFigure)
class UsageFigureAdmin(admin.ModelAdmin):
    raw_id_fields = ("account",)


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("account",)
    list_display = ("title", "account", "status", "delivered_on", "is_success_story")
    list_filter = ("status", "is_success_story")


class AdvocacyActivityInline(admin.TabularInline):
    model = AdvocacyActivity
    extra = 0


@admin.register(Advocate)
class AdvocateAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("contact",)
    inlines = [AdvocacyActivityInline]


@admin.register(AdvocacyActivity)
class AdvocacyActivityAdmin(SimpleHistoryAdmin):
    raw_id_fields = ("advocate",)
    list_display = ("advocate", "kind", "done_on")
