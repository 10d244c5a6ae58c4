"""Forms of the relationship map's edit in place: a contact's place in the map, and a relationship level."""

from __future__ import annotations

from django import forms

from execsponsor.customers.forms import ContactProfileForm, VersionedForm, _choices
from execsponsor.customers.models import Contact, ContactStatus, RelationshipLevel, RelationshipLevelChoice


class MapContactForm(ContactProfileForm):
    """Support, buying role, influence, reports-to, and for someone who left: their status and successor."""

    status = forms.ChoiceField(choices=_choices(ContactStatus.choices, blank=False))
    replaced_by = forms.ModelChoiceField(
        label="Replaced by",
        required=False,
        queryset=Contact.objects.none(),
        empty_label="—",
        help_text="Their successor at the account, once they left or changed role",
    )

    service_names = {"reports_to": "reports_to_id", "replaced_by": "replaced_by_id"}

    @classmethod
    def for_contact(cls, contact: Contact, *, data=None) -> MapContactForm:
        form = super().for_contact(contact, data=data)
        form.initial.update(status=contact.status, replaced_by=contact.replaced_by_id)
        colleagues = Contact.objects.filter(account_id=contact.account_id).exclude(pk=contact.pk)
        form.fields["replaced_by"].queryset = colleagues
        return form


class RelationshipLevelForm(VersionedForm):
    """One of our people and a contact: where the relationship stands, and where we want it."""

    person = forms.TypedChoiceField(label="Our person", coerce=int)
    current = forms.ChoiceField(label="Today", choices=RelationshipLevelChoice.choices)
    desired = forms.ChoiceField(label="Aiming for", choices=RelationshipLevelChoice.choices)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, str(p)) for p in people]
        self.fields["version"].required = False

    def clean_version(self):
        raw = self.cleaned_data.get("version")
        return super().clean_version() if raw else None

    @classmethod
    def for_pair(cls, level: RelationshipLevel | None, *, people, data=None) -> RelationshipLevelForm:
        initial = {"current": RelationshipLevelChoice.VENDOR, "desired": RelationshipLevelChoice.TRUSTED_ADVISOR}
        if level is not None:
            initial = {
                "person": level.user_id,
                "current": level.current,
                "desired": level.desired,
                "version": level.updated_at.isoformat(),
            }
        form = cls(data, initial=initial, people=people)
        form.fields["person"].widget.attrs.pop("autofocus", None)
        return form
