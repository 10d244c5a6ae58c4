"""Forms of the notification pages: a person's preferences, an admin's chat webhook."""

from __future__ import annotations

from django import forms

from execsponsor.common.forms import StyledForm
from execsponsor.notify.models import ChatWebhook, Delivery, DigestFrequency, NotificationPreference
from execsponsor.notify.selectors import active_chat_webhooks


class PreferencesForm(StyledForm):
    digest_frequency = forms.ChoiceField(
        label="How often", choices=DigestFrequency.choices, initial=DigestFrequency.WEEKLY
    )
    digest = forms.ChoiceField(label="Digest: your accounts' cadence, your tasks, new alerts", choices=Delivery.choices)
    meeting_reminder = forms.ChoiceField(label="Reminder the day before a sponsor meeting", choices=Delivery.choices)
    task_assigned = forms.ChoiceField(label="A task is assigned to you", choices=Delivery.choices)
    task_escalated = forms.ChoiceField(label="An overdue task is escalated to you", choices=Delivery.choices)
    chat_webhook = forms.ModelChoiceField(
        label="Chat channel",
        queryset=ChatWebhook.objects.none(),
        required=False,
        empty_label="(none)",
        help_text="Where the messages set to 'Chat channel' go. An admin adds channels.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = active_chat_webhooks()
        self.fields["chat_webhook"].queryset = channels
        if not channels.exists():
            # No chat channel to pick: offer email or off only.
            for name in ("digest", "meeting_reminder", "task_assigned", "task_escalated"):
                self.fields[name].choices = [(v, label) for v, label in Delivery.choices if v != Delivery.CHAT]
            del self.fields["chat_webhook"]

    @classmethod
    def for_preference(cls, preference: NotificationPreference, data=None) -> PreferencesForm:
        initial = {
            "digest": preference.digest,
            "digest_frequency": preference.digest_frequency,
            "meeting_reminder": preference.meeting_reminder,
            "task_assigned": preference.task_assigned,
            "task_escalated": preference.task_escalated,
            "chat_webhook": preference.chat_webhook_id,
        }
        return cls(data, initial=initial)

    def choices(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("digest", "digest_frequency", "meeting_reminder", "task_assigned", "task_escalated")
        }


class ChatWebhookForm(StyledForm):
    name = forms.CharField(max_length=100, help_text="e.g. #exec-sponsors")
    url = forms.CharField(
        label="Incoming webhook URL",
        max_length=500,
        help_text='Slack-compatible: ExecSponsor posts JSON {"text": …} to it.',
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.slack.com/services/…"}),
    )
    allow_http = forms.BooleanField(
        label="Allow plain http:// (unencrypted)",
        required=False,
    )
    allow_private = forms.BooleanField(
        label="Allow private addresses (loopback, 10.x, 172.16–31.x, 192.168.x, link-local, 100.64.x)",
        required=False,
        help_text="Only for a chat server inside your own network. Cloud metadata addresses stay refused.",
    )
