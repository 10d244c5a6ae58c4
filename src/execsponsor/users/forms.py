"""Forms of the people pages: first admin, invitation, role, and an executive's profile."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.contrib.auth.forms import UserCreationForm

from execsponsor.common.forms import StyledForm
from execsponsor.users.models import Executive, ExecutiveFunction, ExecutiveLevel, Role, User
from execsponsor.users.services import CAPACITY_LIMIT


class FirstAdminForm(UserCreationForm):
    """Username, name, email and a password checked by AUTH_PASSWORD_VALIDATORS (twice typed)."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class InviteForm(StyledForm):
    email = forms.EmailField(max_length=150, help_text="Their username too")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


@cache
def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def _as_choices(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        detail = obj.title or obj.email
        return f"{obj} — {detail}" if detail and str(obj) != detail else str(obj)


class ExecutiveForm(StyledForm):
    """An executive's profile. Industries, regions and languages are offered from the data (see selectors)."""

    user = PersonChoiceField(queryset=User.objects.none(), label="Person", empty_label="— choose a person —")
    function = forms.ChoiceField(choices=ExecutiveFunction.choices)
    level = forms.ChoiceField(choices=ExecutiveLevel.choices, initial=ExecutiveLevel.VP)
    reports_to = forms.ModelChoiceField(
        queryset=Executive.objects.none(), required=False, label="Reports to", empty_label="— nobody —"
    )
    industries = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    regions = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    time_zone = forms.ChoiceField(choices=_time_zone_choices, initial="UTC")
    capacity_min = forms.IntegerField(min_value=0, max_value=CAPACITY_LIMIT, initial=3, label="Capacity, at least")
    capacity_max = forms.IntegerField(min_value=0, max_value=CAPACITY_LIMIT, initial=5, label="Capacity, at most")
    customer_facing = forms.BooleanField(required=False, initial=True, label="Customer-facing")
    working_style = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Working style and culture notes"
    )
    enablement = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    expected_updated_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices, candidates, executive: Executive | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = _as_choices(choices.industries)
        self.fields["regions"].choices = _as_choices(choices.regions)
        self.fields["languages"].choices = choices.languages
        self.fields["enablement"].choices = choices.enablement
        managers = Executive.objects.filter(is_active=True).select_related("user")
        if executive is not None:
            del self.fields["user"]
            self.fields["reports_to"].queryset = managers.exclude(pk=executive.pk)
        else:
            self.fields["user"].queryset = candidates
            self.fields["reports_to"].queryset = managers
        for name in ("industries", "regions", "languages", "enablement"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("capacity_min"), cleaned.get("capacity_max")
        if low is not None and high is not None and low > high:
            self.add_error("capacity_min", f"The minimum ({low}) is above the maximum ({high}).")
        return cleaned

    def profile_fields(self) -> dict:
        """The cleaned values under the names the services take."""
        data = dict(self.cleaned_data)
        data.pop("user", None)
        data.pop("expected_updated_at", None)
        reports_to = data.pop("reports_to")
        data["reports_to_id"] = reports_to.pk if reports_to else None
        return data


def executive_initial(executive: Executive) -> dict:
    return {
        "function": executive.function,
        "level": executive.level,
        "reports_to": executive.reports_to_id,
        "industries": executive.industries,
        "regions": executive.regions,
        "languages": executive.languages,
        "time_zone": executive.time_zone,
        "capacity_min": executive.capacity_min,
        "capacity_max": executive.capacity_max,
        "customer_facing": executive.customer_facing,
        "working_style": executive.working_style,
        "enablement": executive.enablement,
        "expected_updated_at": executive.updated_at.isoformat(),
    }
