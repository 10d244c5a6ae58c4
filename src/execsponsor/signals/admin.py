from django.contrib import admin

from execsponsor.signals.models import Alert, FollowedChampion, Signal, WebhookReceipt, WebhookSource


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    raw_id_fields = ("account", "contact")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    raw_id_fields = ("account", "contact", "owner")


@admin.register(WebhookSource)
class WebhookSourceAdmin(admin.ModelAdmin):
    pass


@admin.register(WebhookReceipt)
class WebhookReceiptAdmin(admin.ModelAdmin):
    raw_id_fields = ("source",)


@admin.register(FollowedChampion)
class FollowedChampionAdmin(admin.ModelAdmin):
    raw_id_fields = ("contact", "matched_account", "new_contact")
