"""Forms of the role charters page and the sponsorship charter page. They parse; the services decide."""

from __future__ import annotations

from django import forms

from execsponsor.common.forms import StyledForm
from execsponsor.program.charter_services import CHARTER_TEXT_LENGTH, NOTE_LENGTH
from execsponsor.program.lifecycle import END_REASON_LENGTH, Step
from execsponsor.program.models import ALIGNMENT_ITEMS, ALIGNMENT_NOTES, ObjectiveStatus
from execsponsor.program.schemas import CHARTER_LENGTH

VERSION = {"widget": forms.HiddenInput, "min_value": 1, "max_value": 2_147_483_647}


def _text(label: str, length: int, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        strip=True,
    )


class RoleCharterForm(StyledForm):
    responsibilities = _text("Responsible for", CHARTER_TEXT_LENGTH, rows=4)
    does_not = _text("Does not", CHARTER_TEXT_LENGTH, rows=2)
    version = forms.IntegerField(**VERSION)


class SponsorshipCharterForm(StyledForm):
    charter_objectives = _text("Objectives in brief", CHARTER_LENGTH, help_text="One or two sentences of purpose")
    charter_expectations = _text(
        "Expectations agreed with the customer executive", CHARTER_LENGTH, help_text="What both sides expect"
    )
    customer_commitment = _text(
        "The customer's own commitment", CHARTER_LENGTH, help_text="e.g. quarterly time with their CIO"
    )
    version = forms.IntegerField(**VERSION)


class ObjectiveForm(StyledForm):
    title = forms.CharField(label="Objective", max_length=255)
    measure = forms.CharField(label="Measure", max_length=255, required=False)
    target_value = forms.CharField(label="Target", max_length=100, required=False)
    current_value = forms.CharField(label="Now", max_length=100, required=False)
    owner = forms.TypedChoiceField(label="Owner", coerce=int, required=False, empty_value=None)
    target_date = forms.DateField(label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="Status", choices=ObjectiveStatus.choices)

    def __init__(self, *args, owners: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *owners]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner_id"] = data.pop("owner")
        return data


class ObjectiveStatusForm(StyledForm):
    status = forms.ChoiceField(label="Status", choices=ObjectiveStatus.choices)


class AlignmentNotesForm(StyledForm):
    version = forms.IntegerField(**VERSION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ALIGNMENT_NOTES:
            self.fields[name] = _text(ALIGNMENT_ITEMS[name], NOTE_LENGTH)
            self.fields[name].widget.attrs["class"] = "form-control"


class AlignmentTickForm(forms.Form):
    side = forms.ChoiceField(choices=[("ae", "AE"), ("sponsor", "Sponsor")])
    ticked = forms.MultipleChoiceField(choices=list(ALIGNMENT_ITEMS.items()), required=False)
    version = forms.IntegerField(**VERSION)


class TransitionForm(StyledForm):
    step = forms.ChoiceField(choices=Step.choices)
    version = forms.IntegerField(**VERSION)
    introduced_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(required=False, max_length=END_REASON_LENGTH)


class SupportingExecutiveForm(StyledForm):
    executive = forms.TypedChoiceField(label="Executive", coerce=int)
    reason = forms.CharField(label="For which problem", max_length=255, help_text="e.g. technical escalation")

    def __init__(self, *args, executives: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executive"].choices = [("", "Pick an executive"), *executives]
