"""The CSM's rating card on the account page: shown to everyone who sees the account, set by its CSM, the
program owner or an admin. Loaded by htmx into the Health card; works without JavaScript as its own page."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from execsponsor.access.rules import can, require
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import InvalidInput
from execsponsor.customers.models import Account
from execsponsor.insights.csm_ratings import csm_rating_record, ratings_of
from execsponsor.insights.models import CsmRatingValue
from execsponsor.insights.policy import health_policy


def _account(request, pk: int) -> Account:
    try:
        return visible_accounts(request.user).get(pk=pk)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None


def csm_rating(request, pk: int):
    account = _account(request, pk)
    errors: dict[str, str] = {}
    status = 200
    values = {"rating": "", "note": "", "rated_on": ""}
    saved = False
    if request.method == "POST":
        require(request.user, "execsponsor.rate_account", account)
        values = {key: request.POST.get(key, "").strip() for key in values}
        rated_on = None
        if values["rated_on"]:
            try:
                rated_on = dt.date.fromisoformat(values["rated_on"])
            except ValueError:
                errors["rated_on"] = "A date looks like 2026-11-23"
        if not errors:
            try:
                csm_rating_record(
                    by=request.user, account=account, rating=values["rating"], note=values["note"], rated_on=rated_on
                )
                saved = True
                values = {"rating": "", "note": "", "rated_on": ""}
            except InvalidInput as error:
                errors[error.field or "rating"] = error.message
        status = 422 if errors else 200
    policy, _ = health_policy()
    ratings = ratings_of(account)
    today = timezone.localdate()
    latest = ratings[0] if ratings else None
    context = {
        "account": account,
        "ratings": ratings,
        "latest": latest,
        "latest_age": (today - latest.rated_on).days if latest else None,
        "max_age": policy.csm_rating_max_age_days,
        "stale": latest is not None and (today - latest.rated_on).days > policy.csm_rating_max_age_days,
        "can_rate": can(request.user, "execsponsor.rate_account", account),
        "choices": CsmRatingValue.choices,
        "errors": errors,
        "values": values,
        "saved": saved,
        "today": today,
    }
    template = "insights/csm_rating.html" if request.htmx else "insights/csm_rating_page.html"
    return render(request, template, {"nav": "accounts", **context}, status=status)
