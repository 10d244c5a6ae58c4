from __future__ import annotations

from django import forms

from execsponsor.common.forms import StyledForm
from execsponsor.signals.mail import MAX_BYTES


class SignalUploadForm(StyledForm):
    file = forms.FileField(
        label="File",
        help_text="Bounced mail or automatic replies (.eml, mbox) or a job-change feed (.csv or .json).",
    )
    dry_run = forms.BooleanField(label="Only show what it says (dry run)", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is {upload.size // 2**20} MB; the limit is {MAX_BYTES // 2**20} MB.")
        return upload


class WebhookSourceForm(StyledForm):
    name = forms.CharField(
        label="Name", max_length=100, help_text="The system that will post, e.g. Marketing automation"
    )


GRACE_CHOICES = [
    ("0", "no grace: the old secret stops at once"),
    ("1", "1 hour"),
    ("24", "24 hours"),
    ("72", "3 days"),
    ("168", "7 days"),
]


class WebhookRotateForm(StyledForm):
    grace_hours = forms.ChoiceField(label="Keep accepting the old secret for", choices=GRACE_CHOICES, initial="24")
