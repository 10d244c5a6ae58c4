"""Forms of the account page's edit-in-place sections. Each turns its cleaned data into a service's `changes`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.dateparse import parse_datetime

from execsponsor.access.rules import can
from execsponsor.common.forms import StyledForm
from execsponsor.customers.models import (
    Account,
    BuyingRole,
    Contact,
    DecisionOrientation,
    Influence,
    Persona,
    Segment,
    Seniority,
    Support,
)
from execsponsor.users.models import Role, User

CAPABILITY_AREA_MAX_LENGTH = 100


class CapabilityAreasField(forms.CharField):
    """Capability areas typed as a comma-separated list; stored as a list without blanks or repeats."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Separate them with commas, e.g. Analytics, Payments")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        areas: list[str] = []
        for part in (value or "").split(","):
            area = " ".join(part.split())
            if area and area.casefold() not in {a.casefold() for a in areas}:
                areas.append(area)
        return areas

    def validate(self, value: list[str]) -> None:
        for area in value:
            if len(area) > CAPABILITY_AREA_MAX_LENGTH:
                raise forms.ValidationError(
                    f"“{area[:30]}…” is longer than {CAPABILITY_AREA_MAX_LENGTH} characters; shorten it"
                )


class VersionedForm(StyledForm):
    """Carries the `updated_at` the user saw, so that the service can refuse a write over someone else's."""

    version = forms.CharField(widget=forms.HiddenInput)

    # Form field -> the service's field name, where they differ (foreign keys go by id).
    service_names: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # htmx moves the cursor to a swapped-in element marked autofocus.
            first = next(iter(name for name in self.fields if name != "version"), None)
            if first:
                self.fields[first].widget.attrs["autofocus"] = True

    def is_valid(self) -> bool:
        valid = super().is_valid()
        self._mark_invalid_fields()
        return valid

    def _mark_invalid_fields(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean_version(self) -> dt.datetime:
        seen = parse_datetime(self.cleaned_data["version"] or "")
        if seen is None or seen.tzinfo is None:
            raise forms.ValidationError("This form is out of date. Reload the page and edit again.")
        return seen

    def changes(self) -> dict[str, Any]:
        changes = {}
        for name, value in self.cleaned_data.items():
            if name == "version":
                continue
            if isinstance(value, User | Contact):
                value = value.pk
            changes[self.service_names.get(name, name)] = value
        return changes

    def add_service_error(self, field: str | None, message: str) -> None:
        """Put a service's refusal on the field it names (by its service name), else on the form."""
        by_service_name = {service: name for name, service in self.service_names.items()}
        name = by_service_name.get(field, field)
        self.add_error(name if name in self.fields else None, message)
        self._mark_invalid_fields()


def versioned_initial(instance, names) -> dict[str, Any]:
    initial = {name: getattr(instance, name) for name in names}
    initial["version"] = instance.updated_at.isoformat()
    return initial


class AccountPlanForm(VersionedForm):
    """The account strategy card: strategy, capability areas, goals and pain points."""

    account_strategy = forms.CharField(
        label="Account strategy", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    capability_areas_in_use = CapabilityAreasField(label="Capability areas in use")
    capability_areas_planned = CapabilityAreasField(label="Capability areas planned")
    customer_goals = forms.CharField(label="Customer goals", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pain_points = forms.CharField(label="Pain points", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_account(cls, account: Account, *, by: User, data=None) -> AccountPlanForm:
        names = [n for n in cls.base_fields if n != "version"]
        return cls(data, initial=versioned_initial(account, names))


def _people(role: Role, current: User | None):
    people = User.objects.filter(is_active=True, role=role)
    if current is not None:
        people = people | User.objects.filter(pk=current.pk)
    return people.order_by("first_name", "last_name", "pk")


class AccountFiguresForm(VersionedForm):
    """The account card: ARR, strategic value, growth potential, renewal, segment; AE and CSM for the program."""

    arr = forms.DecimalField(label="ARR", required=False, min_value=0, max_digits=16, decimal_places=2)
    strategic_value = forms.IntegerField(
        label="Strategic value", required=False, min_value=0, max_value=100, help_text="0–100"
    )
    growth_potential = forms.DecimalField(
        label="Growth potential (whitespace)", required=False, min_value=0, max_digits=16, decimal_places=2
    )
    renewal_date = forms.DateField(label="Renewal date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    segment = forms.ChoiceField(label="Segment", required=False, choices=[("", "—"), *Segment.choices])
    owner = forms.ModelChoiceField(label="Owner (AE)", required=False, queryset=User.objects.none(), empty_label="—")
    csm = forms.ModelChoiceField(label="CSM", required=False, queryset=User.objects.none(), empty_label="—")

    service_names = {"owner": "owner_id", "csm": "csm_id"}

    @classmethod
    def for_account(cls, account: Account, *, by: User, data=None) -> AccountFiguresForm:
        names = [n for n in cls.base_fields if n != "version"]
        form = cls(data, initial=versioned_initial(account, names))
        if can(by, "execsponsor.run_program"):
            form.fields["owner"].queryset = _people(Role.ACCOUNT_EXECUTIVE, account.owner)
            form.fields["csm"].queryset = _people(Role.CSM, account.csm)
        else:
            # Who the account belongs to is the program's decision: the AE and CSM see it, not change it.
            del form.fields["owner"], form.fields["csm"]
        return form


def _choices(choices, *, blank: bool):
    return [("", "—"), *choices] if blank else list(choices)


class ContactProfileForm(VersionedForm):
    """A contact's place in the relationship map; reports-to is limited to colleagues at the same account."""

    seniority = forms.ChoiceField(required=False, choices=_choices(Seniority.choices, blank=True))
    persona = forms.ChoiceField(required=False, choices=_choices(Persona.choices, blank=True))
    buying_role = forms.ChoiceField(
        label="Buying role", required=False, choices=_choices(BuyingRole.choices, blank=True)
    )
    support = forms.ChoiceField(choices=_choices(Support.choices, blank=False))
    influence = forms.ChoiceField(choices=_choices(Influence.choices, blank=False))
    decision_orientation = forms.ChoiceField(
        label="Decision orientation", required=False, choices=_choices(DecisionOrientation.choices, blank=True)
    )
    reports_to = forms.ModelChoiceField(
        label="Reports to", required=False, queryset=Contact.objects.none(), empty_label="—"
    )

    service_names = {"reports_to": "reports_to_id"}

    @classmethod
    def for_contact(cls, contact: Contact, *, data=None) -> ContactProfileForm:
        names = [n for n in cls.base_fields if n != "version"]
        form = cls(data, initial=versioned_initial(contact, names))
        colleagues = Contact.objects.filter(account_id=contact.account_id).exclude(pk=contact.pk)
        form.fields["reports_to"].queryset = colleagues
        return form
