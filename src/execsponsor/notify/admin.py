from django.contrib import admin

from execsponsor.notify.models import ChatWebhook, Notification


@admin.register(ChatWebhook)
class ChatWebhookAdmin(admin.ModelAdmin):
    pass


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    raw_id_fields = ("recipient", "webhook")
