"""{% cadence_badge sponsorship %}: the cadence of one sponsorship as a badge, for any page that lists them."""

from django import template

from execsponsor.access.visibility import can_change_account
from execsponsor.engagements.cadence import cadence_for_sponsorships, cadence_today

register = template.Library()


@register.inclusion_tag("engagements/cadence_badge.html")
def cadence_badge(sponsorship, today=None):
    """One query per sponsorship: for a page that shows a handful. Lists use cadence_for_sponsorships."""
    if sponsorship is None:
        return {"cadence": None}
    rows = cadence_for_sponsorships([sponsorship], today or cadence_today())
    return {"cadence": rows[0].cadence if rows else None}


@register.filter
def may_log_engagements(user, account) -> bool:
    """{% if user|may_log_engagements:account %}: show the "Log an engagement" button only to those who may."""
    return bool(user and account) and can_change_account(user, account.pk)
