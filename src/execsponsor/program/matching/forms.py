"""Forms of the selection settings page and the matching workbench."""

from __future__ import annotations

from django import forms

from execsponsor.core.selection import CRITERIA, CRITERION_LABELS, DEFAULT_TIE_TOLERANCE, MAX_SEED, MAX_TIE_TOLERANCE
from execsponsor.customers.models import Segment
from execsponsor.program.matching.inputs import MatchingOptions, SelectionSettings


class SelectionSettingsForm(forms.Form):
    segments = forms.MultipleChoiceField(
        choices=Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these segments are eligible; none ticked: every segment.",
    )
    exclude_in_churn = forms.BooleanField(required=False, label="Exclude accounts in active churn")
    min_arr = forms.DecimalField(required=False, min_value=0, label="Minimum ARR", max_digits=16, decimal_places=2)
    randomise_boundary = forms.BooleanField(
        required=False,
        label="Draw the last shortlist places at random among near-tied accounts",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    tie_tolerance = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=MAX_TIE_TOLERANCE,
        decimal_places=2,
        max_digits=5,
        label="Near-tied: within this many points of the cut-off score",
        help_text=f"Default {DEFAULT_TIE_TOLERANCE:g} points; both edges count.",
    )
    draw_seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        label="Seed",
        help_text="Leave empty and one is drawn and kept; clear it to draw afresh.",
    )
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
            "randomise_boundary": settings.randomise_boundary,
            "tie_tolerance": settings.tie_tolerance,
            "draw_seed": settings.draw_seed,
            "version": settings.version,
        }
        initial.update({f"weight_{name}": settings.weights.get(name, 0) for name in CRITERIA})
        return initial

    def tie_field_list(self):
        return [self["tie_tolerance"], self["draw_seed"]]

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
            randomise_boundary=data["randomise_boundary"],
            tie_tolerance=DEFAULT_TIE_TOLERANCE if data["tie_tolerance"] is None else float(data["tie_tolerance"]),
            draw_seed=data["draw_seed"],
        )


class MatchingRunForm(forms.Form):
    """What-ifs for a run: shortlist size, executives taken out, extra accounts, capacity changes, rules.

    Accounts and executives are given by name (the page offers a search), never by id."""

    label = forms.CharField(required=False, max_length=100)
    shortlist_size = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, help_text="Blank: the executives' total capacity"
    )
    without_executives = forms.MultipleChoiceField(required=False, choices=())
    extra_accounts = forms.CharField(
        required=False,
        label="Accounts to add",
        help_text="Account names to add to the shortlist, one per line (search above)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    capacity = forms.CharField(
        required=False,
        label="Capacity changes",
        help_text="One per line: executive name = min-max (e.g. Dana Whitfield = 2-4)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hard_minimum = forms.BooleanField(
        required=False, label="Minimum capacity is a hard rule (no proposal if it cannot be met)"
    )
    enforce_rules_on_live = forms.BooleanField(
        required=False, label="Enforce the hard rules on live sponsorships too (no grandfathering)"
    )

    def __init__(self, *args, executives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.executives = list(executives)
        self.fields["without_executives"].choices = [(str(e.pk), str(e.user)) for e in self.executives]

    def clean_extra_accounts(self) -> list[int]:
        from execsponsor.customers.models import Account

        found = []
        for number, line in enumerate(self.cleaned_data["extra_accounts"].splitlines(), start=1):
            name = line.strip()
            if not name:
                continue
            matches = list(Account.objects.filter(name__iexact=name).values_list("pk", flat=True)[:2])
            if not matches:
                raise forms.ValidationError(f"Line {number}: there is no account called {name!r}")
            if len(matches) > 1:
                raise forms.ValidationError(f"Line {number}: more than one account is called {name!r}")
            found.append(matches[0])
        return found

    def clean_capacity(self) -> dict[int, tuple[int, int]]:
        by_name: dict[str, list[int]] = {}
        for executive in self.executives:
            by_name.setdefault(str(executive.user).casefold(), []).append(executive.pk)
        changes = {}
        for number, line in enumerate(self.cleaned_data["capacity"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _, span = line.rpartition("=")
            low, _, high = span.partition("-")
            try:
                low_value, high_value = int(low), int(high)
            except ValueError:
                raise forms.ValidationError(
                    f"Line {number}: write 'executive name = min-max', e.g. Dana Whitfield = 2-4"
                ) from None
            executives = by_name.get(name.strip().casefold(), [])
            if len(executives) != 1:
                problem = "no active executive is" if not executives else "more than one executive is"
                raise forms.ValidationError(f"Line {number}: {problem} called {name.strip()!r}")
            if not 0 <= low_value <= high_value <= 25:
                raise forms.ValidationError(f"Line {number}: capacity must satisfy 0 ≤ min ≤ max ≤ 25")
            changes[executives[0]] = (low_value, high_value)
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
            hard_minimum=True if data["hard_minimum"] else None,
            enforce_rules_on_live=True if data["enforce_rules_on_live"] else None,
        )
