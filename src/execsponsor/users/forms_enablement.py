"""Forms of the enablement pages: a catalogue item, the matching policy, a tick on an executive's checklist."""

from __future__ import annotations

from django import forms

from execsponsor.common.forms import StyledForm
from execsponsor.users.enablement import POLICY_MODES
from execsponsor.users.models import EnablementAudience


class EnablementItemForm(StyledForm):
    label = forms.CharField(max_length=120)
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    audience = forms.ChoiceField(choices=EnablementAudience.choices, initial=EnablementAudience.EVERYONE)
    position = forms.IntegerField(min_value=0, max_value=999, required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Asked of executives")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def item_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("label", "description", "audience", "is_active")}
        if self.cleaned_data.get("position") is not None:
            data["position"] = self.cleaned_data["position"]
        return data


class EnablementPolicyForm(StyledForm):
    matching = forms.ChoiceField(
        choices=list(POLICY_MODES.items()), label="Executives who have not completed the required items"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EnablementTickForm(forms.Form):
    item = forms.IntegerField(min_value=1)
    done = forms.BooleanField(required=False)
    completed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
