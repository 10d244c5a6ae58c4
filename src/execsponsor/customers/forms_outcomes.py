"""Forms of the account page's Outcomes and Advocates sections; each gives its service's `fields` or `changes`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from execsponsor.common.forms import StyledForm
from execsponsor.customers.forms import VersionedForm, versioned_initial
from execsponsor.customers.models import Account, AdvocacyKind, Advocate, Contact, Outcome, OutcomeStatus
from execsponsor.customers.selectors_outcomes import contacts_who_could_advocate


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class OutcomeFields(StyledForm):
    title = forms.CharField(label="Result the customer expects", max_length=255)
    measure = forms.CharField(label="Measured by", max_length=255, required=False)
    baseline = forms.CharField(max_length=100, required=False)
    target = forms.CharField(max_length=100, required=False)
    expected_by = forms.DateField(label="Expected by", required=False, widget=_date_input())
    status = forms.ChoiceField(choices=OutcomeStatus.choices)
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to mark it delivered: a figure, a quote, a report",
    )
    delivered_on = forms.DateField(
        label="Delivered on", required=False, widget=_date_input(), help_text="Today if left blank"
    )
    shared_with_customer = forms.BooleanField(label="Shareable with the customer's executives", required=False)
    is_success_story = forms.BooleanField(label="Success story (delivered only)", required=False)

    def clean_delivered_on(self):
        day = self.cleaned_data.get("delivered_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError("The day it was delivered cannot be in the future")
        return day

    def fields_for_service(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class OutcomeNewForm(OutcomeFields):
    """A new outcome: usually expected, recorded at onboarding or whenever the customer names a result."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autofocus"] = True


class OutcomeEditForm(VersionedForm, OutcomeFields):
    @classmethod
    def for_outcome(cls, outcome: Outcome, *, data=None) -> OutcomeEditForm:
        names = [n for n in cls.base_fields if n != "version"]
        return cls(data, initial=versioned_initial(outcome, names))

    def changes(self) -> dict[str, Any]:
        return self.fields_for_service()


class AdvocateFields(StyledForm):
    agreed_to = forms.MultipleChoiceField(
        label="Agreed to", choices=AdvocacyKind.choices, widget=forms.CheckboxSelectMultiple
    )
    agreed_on = forms.DateField(label="Agreed on", required=False, widget=_date_input())
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bootstrap's form-control on a list of checkboxes draws a box around them; the template styles each one.
        self.fields["agreed_to"].widget.attrs.pop("class", None)


class AdvocateNewForm(AdvocateFields):
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), empty_label="Choose a contact")

    field_order = ["contact", "agreed_to", "agreed_on", "notes"]

    @classmethod
    def for_account(cls, account: Account, *, data=None) -> AdvocateNewForm:
        form = cls(data, initial={"agreed_on": timezone.localdate()})
        form.fields["contact"].queryset = contacts_who_could_advocate(account)
        return form

    def fields_for_service(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "contact"}


class AdvocateEditForm(VersionedForm, AdvocateFields):
    @classmethod
    def for_advocate(cls, advocate: Advocate, *, data=None) -> AdvocateEditForm:
        return cls(data, initial=versioned_initial(advocate, ["agreed_to", "agreed_on", "notes"]))

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class AdvocacyActivityForm(StyledForm):
    kind = forms.ChoiceField(label="What they did", choices=AdvocacyKind.choices)
    done_on = forms.DateField(label="On", widget=_date_input())
    note = forms.CharField(max_length=500, required=False, help_text="Who they spoke to, where it was published …")

    @classmethod
    def for_advocate(cls, advocate: Advocate, *, data=None) -> AdvocacyActivityForm:
        first = (advocate.agreed_to or [None])[0]
        return cls(data, initial={"kind": first, "done_on": timezone.localdate()})

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("It cannot be in the future")
        return day
