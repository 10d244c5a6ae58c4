"""Forms for the playbook and task pages: they parse; the services decide."""

from __future__ import annotations

from django import forms

from execsponsor.playbooks.models import StepRole, Trigger

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class PlaybookForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    trigger = forms.ChoiceField(choices=Trigger.choices)
    is_active = forms.BooleanField(required=False, label="Active")
    days = forms.IntegerField(required=False, label="Renewal within (days)")
    within_days = forms.IntegerField(required=False, label="Look back / window (days)")
    points = forms.IntegerField(required=False, label="Score fall (points)")
    alert_kinds = forms.CharField(required=False, label="Alert kinds (comma-separated)")

    def settings(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("days", "within_days", "points", "alert_kinds")
            if data.get(name) not in (None, "")
        }


class NewPlaybookForm(forms.Form):
    name = forms.CharField(max_length=200)
    trigger = forms.ChoiceField(choices=Trigger.choices, initial=Trigger.MANUAL)


class StepForm(forms.Form):
    title = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=StepRole.choices)
    offset_days = forms.IntegerField(min_value=-730, max_value=730, initial=0, label="Due after (days)")
    instructions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    checklist = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Checklist (one per line)"
    )


class StartForm(forms.Form):
    playbook = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    account = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    anchor_date = forms.DateField(required=False, widget=DATE, label="Start date")


class MoveRunForm(forms.Form):
    anchor_date = forms.DateField(widget=DATE, label="New start date")
    move_open_tasks = forms.BooleanField(required=False)


class SnoozeForm(forms.Form):
    until = forms.DateField(widget=DATE, label="Snooze until")


class ReassignForm(forms.Form):
    owner = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class CommentForm(forms.Form):
    body = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyForm(forms.Form):
    escalation_grace_days = forms.IntegerField(min_value=0, max_value=90, label="Escalate overdue tasks after (days)")
