"""Forms of the selection settings page and the matching workbench."""

from __future__ import annotations

from django import forms

from execsponsor.core.selection import CRITERIA, CRITERION_LABELS
from execsponsor.customers.models import Segment
from execsponsor.program.matching_inputs import MatchingOptions, SelectionSettings


class SelectionSettingsForm(forms.Form):
    segments = forms.MultipleChoiceField(
        choices=Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these segments are eligible; none ticked: every segment.",
    )
    exclude_in_churn = forms.BooleanField(required=False, label="Exclude accounts in active churn")
    min_arr = forms.DecimalField(required=False, min_value=0, label="Minimum ARR", max_digits=16, decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CRITERIA:
            self.fields[f"weight_{name}"] = forms.DecimalField(
                label=CRITERION_LABELS[name], min_value=0, max_value=1000, decimal_places=2, max_digits=7
            )

    @classmethod
    def initial_from(cls, settings: SelectionSettings) -> dict:
        initial = {
            "segments": settings.segments,
            "exclude_in_churn": settings.exclude_in_churn,
            "min_arr": settings.min_arr,
            "version": settings.version,
        }
        initial.update({f"weight_{name}": settings.weights.get(name, 0) for name in CRITERIA})
        return initial

    def weight_fields(self):
        return [self[f"weight_{name}"] for name in CRITERIA]

    def clean(self):
        cleaned = super().clean()
        if all(not cleaned.get(f"weight_{name}") for name in CRITERIA if f"weight_{name}" not in self.errors):
            raise forms.ValidationError("Give at least one criterion a weight above zero.")
        return cleaned

    def settings(self) -> SelectionSettings:
        data = self.cleaned_data
        return SelectionSettings(
            weights={name: float(data[f"weight_{name}"]) for name in CRITERIA},
            segments=list(data["segments"]),
            exclude_in_churn=data["exclude_in_churn"],
            min_arr=float(data["min_arr"]) if data["min_arr"] is not None else None,
        )


class MatchingRunForm(forms.Form):
    """What-ifs for a run: shortlist size, executives taken out, extra accounts, capacity changes."""

    label = forms.CharField(required=False, max_length=100)
    shortlist_size = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, help_text="Blank: the executives' total capacity"
    )
    without_executives = forms.MultipleChoiceField(required=False, choices=())
    extra_accounts = forms.CharField(
        required=False, help_text="Account ids to add to the shortlist, separated by commas"
    )
    capacity = forms.CharField(
        required=False,
        help_text="Capacity changes, one per line: executive id = min-max (e.g. 12 = 2-4)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, executives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["without_executives"].choices = [(str(e.pk), str(e.user)) for e in executives]

    def clean_extra_accounts(self) -> list[int]:
        raw = self.cleaned_data["extra_accounts"]
        try:
            return [int(part) for part in raw.replace(" ", "").split(",") if part]
        except ValueError:
            raise forms.ValidationError("Account ids are whole numbers separated by commas, e.g. 12, 40") from None

    def clean_capacity(self) -> dict[int, tuple[int, int]]:
        changes = {}
        for number, line in enumerate(self.cleaned_data["capacity"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                executive, _, span = line.partition("=")
                low, _, high = span.partition("-")
                low_value, high_value = int(low), int(high)
                changes[int(executive)] = (low_value, high_value)
            except ValueError:
                raise forms.ValidationError(f"Line {number}: write 'executive id = min-max', e.g. 12 = 2-4") from None
            if not 0 <= low_value <= high_value <= 25:
                raise forms.ValidationError(f"Line {number}: capacity must satisfy 0 ≤ min ≤ max ≤ 25")
        return changes

    def options(self, base: MatchingOptions | None = None) -> MatchingOptions:
        data = self.cleaned_data
        base = base or MatchingOptions()
        return MatchingOptions(
            locked=list(base.locked),
            forbidden=list(base.forbidden),
            capacity={**base.capacity, **data["capacity"]},
            without_executives=[int(e) for e in data["without_executives"]],
            extra_accounts=data["extra_accounts"],
            shortlist_size=data["shortlist_size"],
        )
