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
