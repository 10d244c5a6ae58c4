"""The upload form of the import page, and the form that saves a column mapping."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings

from execsponsor.common.forms import StyledForm
from execsponsor.exchange.importing.columns import FIELDS, KINDS
from execsponsor.exchange.importing.uploads import too_large_message
from execsponsor.exchange.models import ImportMapping

SOURCE_CHOICES = [
    ("salesforce", "Salesforce (Data Loader export)"),
    ("hubspot", "HubSpot export"),
    ("csv", "Any CSV, with a saved mapping"),
]
KIND_CHOICES = [
    ("accounts", "Accounts"),
    ("contacts", "Contacts"),
    ("opportunities", "Opportunities"),
    ("revenue", "Quarterly revenue"),
    ("activities", "Past activities (Salesforce Event / Task)"),
    ("users", "Our users"),
    ("executives", "Our executives (User export with level, industries …)"),
]


class UploadForm(StyledForm):
    source = forms.ChoiceField(choices=SOURCE_CHOICES)
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    mapping = forms.ModelChoiceField(
        queryset=ImportMapping.objects.order_by("name"), required=False, empty_label="— no mapping —"
    )
    file = forms.FileField(help_text="CSV, UTF-8 preferred; comma, semicolon or tab separated")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_large_message(upload.size))
        return upload

    def clean(self):
        cleaned = super().clean()
        mapping = cleaned.get("mapping")
        if cleaned.get("source") == "csv":
            if mapping is None:
                self.add_error("mapping", "A CSV import needs a saved mapping: choose one or save one below.")
            elif mapping.kind != cleaned.get("kind"):
                self.add_error("mapping", f"This mapping is for {mapping.get_kind_display().lower()}.")
        return cleaned


class MappingForm(StyledForm):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    columns = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='JSON: {"our field": "your column"}, e.g. {"external_id": "Ref", "name": "Company"}',
    )
    date_format = forms.ChoiceField(
        choices=[("", "Decide from the file"), ("dmy", "Day first (31/12/2026)"), ("mdy", "Month first (12/31/2026)")],
        required=False,
    )

    def clean_columns(self):
        try:
            columns = json.loads(self.cleaned_data["columns"])
        except ValueError as error:
            raise forms.ValidationError(f"This is not valid JSON ({error}).") from None
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            raise forms.ValidationError('Write an object of column names: {"our field": "your column"}.')
        return columns

    def clean(self):
        cleaned = super().clean()
        kind, columns = cleaned.get("kind"), cleaned.get("columns")
        if kind in KINDS and isinstance(columns, dict):
            unknown = sorted(set(columns) - set(FIELDS[kind]))
            if unknown:
                self.add_error(
                    "columns", f"Unknown fields for {kind}: {', '.join(unknown)}. Known: {', '.join(FIELDS[kind])}."
                )
        return cleaned


class ArrRollupForm(StyledForm):
    months = forms.IntegerField(
        label="Won in the last (months)",
        min_value=1,
        max_value=36,
        initial=12,
        help_text="A yearly subscription is won once a year: 12 months counts each contract once.",
    )
    replace = forms.BooleanField(
        label="Also replace an ARR already set", required=False, help_text="Off: only accounts without ARR change."
    )
