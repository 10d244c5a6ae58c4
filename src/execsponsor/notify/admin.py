from django import forms
from django.contrib import admin

from execsponsor.notify.models import ChatWebhook, Notification, NotificationPreference
from execsponsor.notify.outbound import BlockedURL, check_url


class ChatWebhookAdminForm(forms.ModelForm):
    """The same outbound checks as the Chat webhooks page, so the Django admin is no way around them."""

    class Meta:
        model = ChatWebhook
        fields = ("name", "url", "is_active", "allow_http", "allow_private", "signing_secret")

    def clean(self):
        data = super().clean()
        if data.get("url"):
            try:
                check_url(
                    data["url"],
                    allow_http=data.get("allow_http", False),
                    allow_private=data.get("allow_private", False),
                )
            except BlockedURL as error:
                self.add_error("url", error.message)
        return data


@admin.register(ChatWebhook)
class ChatWebhookAdmin(admin.ModelAdmin):
    form = ChatWebhookAdminForm
    list_display = ("name", "is_active", "allow_http", "allow_private", "last_used_at")
    list_filter = ("is_active",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    raw_id_fields = ("recipient", "webhook")
    list_display = ("created_at", "kind", "channel", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "channel")
    search_fields = ("subject", "dedupe_key", "recipient__username")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    raw_id_fields = ("user", "chat_webhook")
    list_display = ("user", "digest", "digest_frequency", "meeting_reminder", "task_assigned", "task_escalated")
