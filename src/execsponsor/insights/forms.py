from __future__ import annotations

from django import forms

from execsponsor.common.forms import StyledForm
from execsponsor.core.health import MEASURE_NAMES, MEASURES


class HealthWeightsForm(StyledForm):
    """One weight per measure; a measure at 0 is left out of the score."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for measure in MEASURES:
            self.fields[measure] = forms.FloatField(
                label=MEASURE_NAMES[measure], min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": "1"})
            )
            self.fields[measure].widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and sum(cleaned.get(m) or 0 for m in MEASURES) <= 0:
            raise forms.ValidationError("At least one measure needs a weight above zero.")
        return cleaned

    def weights(self) -> dict[str, float]:
        return {m: self.cleaned_data[m] for m in MEASURES}


class MeasureSettingsForm(StyledForm):
    """The earlier-access window and the stages that count as a formal evaluation."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    window_days = forms.IntegerField(
        label="Earlier-access window (days)",
        min_value=1,
        max_value=365,
        help_text="An opportunity opened this many days after a C-level meeting, or fewer, began in it.",
    )
    formal_stages = forms.CharField(
        label="Formal evaluation stages",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One stage a line, as your CRM names them. An opportunity first recorded in one of these did "
        "not begin in an executive conversation.",
    )


class EarlierAccessOverrideForm(StyledForm):
    opportunity = forms.CharField(label="Opportunity", max_length=64, help_text="Its id here or in the CRM")
    value = forms.ChoiceField(
        label="Earlier access",
        choices=[("derived", "As derived from the data"), ("yes", "Yes, overrule"), ("no", "No, overrule")],
    )
    reason = forms.CharField(label="Why", max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") in ("yes", "no") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why you overrule the derived answer.")
        return cleaned
