"""The "log an engagement" form: a few fields, sensible defaults, people picked by name with type-ahead.

Participants are typed into plain text inputs tied to a <datalist> (the browser's own type-ahead, on phones
too); the names are resolved to contacts of the account and to our people here, with a clear message
for a name that matches nobody or more than one person.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from execsponsor.common.forms import StyledForm
from execsponsor.customers.models import Account, Contact
from execsponsor.engagements.cadence import cadence_today
from execsponsor.engagements.models import RUBRIC_FIELDS, RUBRIC_LABELS, EngagementKind
from execsponsor.engagements.services import CommitmentDraft
from execsponsor.users.models import User

THEIR_ROWS = 3
OUR_ROWS = 2
COMMITMENT_ROWS = 2
DEFAULT_COMMITMENT_DAYS = 7

# The kinds a person logs by hand; "other activity" comes from CRM imports.
LOGGABLE_KINDS = [(value, label) for value, label in EngagementKind.choices if value != EngagementKind.TASK]


def contact_label(contact: Contact) -> str:
    return str(contact)


def person_label(user: User) -> str:
    return str(user)


def find_contact(account: Account, text: str) -> Contact:
    """The account's contact named (or with the e-mail) `text`; LookupError with words for people."""
    text = " ".join(text.split())
    contacts = account.contacts.all()
    matches = list(contacts.filter(email__iexact=text)) if "@" in text else []
    if not matches:
        matches = [c for c in _name_candidates(contacts, text) if contact_label(c).casefold() == text.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(f"More than one contact of {account.name} is called {text}: type their e-mail instead")
    raise LookupError(f"{text} is not a contact of {account.name}")


def _name_candidates(contacts: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    # Last names may have spaces too ("van der Berg"): narrow by the last word, compare the whole name.
    return contacts.filter(last_name__iendswith=text.split()[-1]) if text else contacts.none()


def find_person(text: str) -> User:
    """One of our active people by username, e-mail or full name."""
    text = " ".join(text.split())
    people = User.objects.filter(is_active=True)
    matches = list(people.filter(Q(username__iexact=text) | Q(email__iexact=text)))
    if not matches and text:
        named = people.filter(last_name__iendswith=text.split()[-1])
        matches = [user for user in named if person_label(user).casefold() == text.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(f"More than one of our people is called {text}: type their e-mail instead")
    raise LookupError(f"Nobody at our company is called {text}")


class EngagementLogForm(StyledForm):
    kind = forms.ChoiceField(choices=LOGGABLE_KINDS, initial=EngagementKind.MEETING)
    occurred_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(
        required=False, max_length=255, help_text="Optional: “Meeting with <account>” when left empty"
    )
    topics = forms.CharField(required=False, max_length=1000, help_text="Separated by commas")
    outcome = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, account: Account, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.by = by
        self.fields["occurred_on"].initial = cadence_today()
        for n in range(1, THEIR_ROWS + 1):
            self.fields[f"contact_{n}"] = forms.CharField(required=False, max_length=200, label=f"Their side {n}")
        for n in range(1, OUR_ROWS + 1):
            self.fields[f"attendee_{n}"] = forms.CharField(required=False, max_length=200, label=f"Our side {n}")
        self.fields["attendee_1"].initial = person_label(by)
        for name in RUBRIC_FIELDS:
            self.fields[name] = forms.BooleanField(required=False, label=RUBRIC_LABELS[name])
        for n in range(1, COMMITMENT_ROWS + 1):
            self.fields[f"commitment_{n}_description"] = forms.CharField(
                required=False, max_length=500, label="We committed to"
            )
            self.fields[f"commitment_{n}_owner"] = forms.CharField(required=False, max_length=200, label="Owner")
            self.fields[f"commitment_{n}_due_on"] = forms.DateField(
                required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
            )
        # The rest of StyledForm's job for the fields added above.
        people_url = reverse("engagements:people_options", args=[account.pk])
        for name, field in self.fields.items():
            if "class" not in field.widget.attrs:
                css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
                field.widget.attrs["class"] = css
            side = "theirs" if name.startswith("contact_") else "ours"
            if name.startswith(("contact_", "attendee_")) or name.endswith("_owner"):
                # Type-ahead: the browser completes from the <datalist>; htmx refreshes it as one types.
                field.widget.attrs.update(
                    {
                        "list": f"{side}-people",
                        "autocomplete": "off",
                        "hx-get": f"{people_url}?side={side}",
                        "hx-trigger": "input changed delay:250ms",
                        "hx-target": f"#{side}-people",
                        "hx-swap": "innerHTML",
                    }
                )
        self.fields["subject"].widget.attrs["placeholder"] = f"Meeting with {account.name}"
        self.fields["topics"].widget.attrs["placeholder"] = "e.g. roadmap, security review"

    # Grouped for the template.
    def contact_fields(self):
        return [self[f"contact_{n}"] for n in range(1, THEIR_ROWS + 1)]

    def attendee_fields(self):
        return [self[f"attendee_{n}"] for n in range(1, OUR_ROWS + 1)]

    def rubric_fields(self):
        return [self[name] for name in RUBRIC_FIELDS]

    def commitment_rows(self):
        return [
            (self[f"commitment_{n}_description"], self[f"commitment_{n}_owner"], self[f"commitment_{n}_due_on"])
            for n in range(1, COMMITMENT_ROWS + 1)
        ]

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if not 1990 <= day.year <= 2200:
            raise forms.ValidationError("Enter a date between the years 1990 and 2200")
        return day

    def clean(self):
        data = super().clean()
        data["contact_ids"] = self._resolve("contact_", THEIR_ROWS, lambda text: find_contact(self.account, text))
        data["attendee_ids"] = self._resolve("attendee_", OUR_ROWS, find_person) or [self.by.pk]
        data["commitments"] = self._commitments(data)
        return data

    def _resolve(self, prefix: str, rows: int, find) -> list[int]:
        ids = []
        for n in range(1, rows + 1):
            text = (self.cleaned_data.get(f"{prefix}{n}") or "").strip()
            if not text:
                continue
            try:
                ids.append(find(text).pk)
            except LookupError as exc:
                self.add_error(f"{prefix}{n}", str(exc))
        return list(dict.fromkeys(ids))

    def _commitments(self, data) -> list[CommitmentDraft]:
        drafts = []
        occurred_on = data.get("occurred_on") or timezone.localdate()
        for n in range(1, COMMITMENT_ROWS + 1):
            description = (data.get(f"commitment_{n}_description") or "").strip()
            owner_text = (data.get(f"commitment_{n}_owner") or "").strip()
            if not description:
                if owner_text:
                    self.add_error(f"commitment_{n}_description", "Say what was committed, or clear the owner")
                continue
            try:
                owner = find_person(owner_text) if owner_text else self.by
            except LookupError as exc:
                self.add_error(f"commitment_{n}_owner", str(exc))
                continue
            due_on = data.get(f"commitment_{n}_due_on") or occurred_on + dt.timedelta(days=DEFAULT_COMMITMENT_DAYS)
            if not 1990 <= due_on.year <= 2200:
                self.add_error(f"commitment_{n}_due_on", "Enter a date between the years 1990 and 2200")
                continue
            drafts.append(CommitmentDraft(description=description, owner_id=owner.pk, due_on=due_on))
        return drafts

    def service_fields(self) -> dict:
        data = self.cleaned_data
        day = data["occurred_on"]
        # A date without a time: noon in the installation's time zone keeps the calendar date in every view.
        occurred_at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12))
        fields = {
            "kind": data["kind"],
            "occurred_at": occurred_at,
            "subject": data.get("subject") or "",
            "topics": [t.strip()[:100] for t in (data.get("topics") or "").split(",") if t.strip()][:30],
            "outcome": data.get("outcome") or "",
            "contact_ids": data["contact_ids"],
            "attendee_ids": data["attendee_ids"],
        }
        fields.update({name: bool(data.get(name)) for name in RUBRIC_FIELDS})
        return fields


class CountsOverrideForm(StyledForm):
    decision = forms.ChoiceField(
        choices=[("counts", "It counts"), ("does_not_count", "It does not count"), ("rubric", "Let the rubric decide")]
    )
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept in the history")

    def counts(self) -> bool | None:
        return {"counts": True, "does_not_count": False}.get(self.cleaned_data["decision"])
