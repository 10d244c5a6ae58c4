import secrets

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
    # Secrets are made, shown once and rotated on Signals → Webhook sources, never read here.
    exclude = ("secret", "previous_secret")
    list_display = ("name", "slug", "is_active", "rotated_at")

    def save_model(self, request, obj, form, change):
        # A source added here gets a secret nobody has seen: it accepts nothing until an admin rotates the
        # secret on the Webhook sources page, which shows the new one once.
        if not obj.secret:
            obj.secret = "whsec_" + secrets.token_urlsafe(32)
        super().save_model(request, obj, form, change)


@admin.register(WebhookReceipt)
class WebhookReceiptAdmin(admin.ModelAdmin):
    raw_id_fields = ("source",)


@admin.register(FollowedChampion)
class FollowedChampionAdmin(admin.ModelAdmin):
    raw_id_fields = ("contact", "matched_account", "new_contact")
