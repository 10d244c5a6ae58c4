"""The "My tasks" section of every home and the playbooks section of the account page."""

from __future__ import annotations

from django import template

from execsponsor.access.rules import can
from execsponsor.access.visibility import can_change_account
from execsponsor.engagements.cadence import cadence_today
from execsponsor.playbooks import selectors

register = template.Library()


@register.inclusion_tag("playbooks/my_tasks.html", takes_context=True)
def my_tasks(context):
    request = context["request"]
    tasks = selectors.my_tasks(user=request.user, today=cadence_today())
    return {"tasks": tasks, "rows": selectors.HOME_ROWS, "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("playbooks/account_playbooks.html", takes_context=True)
def account_playbooks(context, account):
    request = context["request"]
    return {
        "account": account,
        "section": selectors.account_playbooks(user=request.user, account=account),
        "can_start": can_change_account(request.user, account.pk),
        "today": cadence_today(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def may_change_task(user, task) -> bool:
    return can(user, "execsponsor.change_task", task)
