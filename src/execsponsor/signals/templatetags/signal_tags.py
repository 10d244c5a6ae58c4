"""{% home_alerts %}: the open alerts on the accounts the signed-in user sees, for every role's home."""

from __future__ import annotations

from django import template

from execsponsor.signals.selectors import open_alerts

register = template.Library()

HOME_ALERTS = 5


@register.inclusion_tag("signals/home_alerts.html", takes_context=True)
def home_alerts(context):
    alerts = open_alerts(user=context["request"].user, limit=HOME_ALERTS + 1)
    return {"alerts": alerts[:HOME_ALERTS], "more": len(alerts) > HOME_ALERTS}
