"""The calendar upload form and the rubric form of a meeting imported from a calendar."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings

from execsponsor.common.forms import StyledForm
from execsponsor.engagements.calendar_import import too_big
from execsponsor.engagements.models import RUBRIC_FIELDS, Engagement


class CalendarUploadForm(StyledForm):
    file = forms.FileField(label="Calendar file (.ics)", help_text="Google Calendar or Outlook export")
    since = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Default: a year ago"
    )
    until = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Default: 90 days ahead"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CALENDAR_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(too_big(upload.size, limit))
        return upload

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since >= until:
            self.add_error("until", "Must be after the first day.")
        return cleaned

    def window(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        def moment(day):
            return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) if day else None

        return moment(self.cleaned_data.get("since")), moment(self.cleaned_data.get("until"))


class RubricForm(forms.Form):
    """The quality rubric's questions, as checkboxes (the answers decide whether the meeting counts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RUBRIC_FIELDS:
            model_field = Engagement._meta.get_field(name)
            label = model_field.help_text or model_field.verbose_name.capitalize()
            self.fields[name] = forms.BooleanField(
                required=False, label=label, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )
