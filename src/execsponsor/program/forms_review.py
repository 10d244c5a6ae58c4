"""Forms of the program review page: prepare, notes, a tick, a decision."""

from __future__ import annotations

from django import forms

from execsponsor.common.forms import StyledForm
from execsponsor.program.models import DecisionStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewPrepareForm(StyledForm):
    held_on = forms.DateField(label="Held on", widget=DATE)


class ReviewNotesForm(StyledForm):
    notes = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewTickForm(forms.Form):
    key = forms.CharField(max_length=64)
    discussed = forms.BooleanField(required=False)


class DecisionForm(StyledForm):
    decision = forms.CharField(max_length=2_000, widget=forms.Textarea(attrs={"rows": 2}), label="Decision")
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Owner")
    due_on = forms.DateField(required=False, widget=DATE, label="Due")
    account = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Account")
    status = forms.ChoiceField(choices=DecisionStatus.choices, initial=DecisionStatus.OPEN, label="Status")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, owners=(), accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "— nobody yet —"), *((u.pk, str(u)) for u in owners)]
        self.fields["account"].choices = [("", "— program-wide —"), *accounts]

    def decision_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "owner_id": data["owner"],
            "due_on": data["due_on"],
            "account_id": data["account"],
            "status": data["status"],
        }
