"""Reads for selection: the ranking of accounts and the capacity it is cut at."""

from __future__ import annotations

from typing import Any

from execsponsor.core import selection
from execsponsor.program.matching import cohort_services, inputs
from execsponsor.users.models import Executive


def total_capacity(*, options: inputs.MatchingOptions) -> int:
    executives = Executive.objects.filter(is_active=True, user__is_active=True).exclude(
        pk__in=options.without_executives
    )
    return sum(options.capacity.get(e.pk, (e.capacity_min, e.capacity_max))[1] for e in executives)


def rank_accounts(*, user, settings: inputs.SelectionSettings | None = None, shortlist_size: int | None = None):
    """The selection ranking for what `user` may see (the program owner sees every account)."""
    settings = settings or inputs.selection_settings()
    facts = inputs.selection_facts(user=user)
    size = shortlist_size if shortlist_size is not None else total_capacity(options=inputs.MatchingOptions())
    return selection.rank_accounts(
        facts, weights=settings.weights, rules=settings.rules, shortlist_size=size, boundary=settings.boundary
    )


def selection_document(*, user) -> dict[str, Any]:
    """The ranking as JSON (`esp select --json`, the API): accounts named by their external id where they have one."""
    from execsponsor.customers.models import Account

    result = rank_accounts(user=user)
    ids = [int(s.account) for s in result.ranked] + [int(e.account) for e in result.excluded]
    external = {pk: ext for pk, ext in Account.objects.filter(pk__in=ids).values_list("pk", "external_id") if ext}
    shortlist = set(result.shortlist)
    return {
        "accounts": [
            {
                "account": external.get(int(s.account), s.account),
                "account_id": int(s.account),
                "name": s.name,
                "score": s.score,
                "breakdown": s.breakdown,
                "in_program": s.in_program,
                "shortlisted": s.account in shortlist,
            }
            for s in result.ranked
        ],
        "shortlist_size": len(result.shortlist),
        "draw": cohort_services.draw_document(result.draw),
        "excluded": [
            {"account": external.get(int(e.account), e.account), "name": e.name, "reason": e.reason}
            for e in result.excluded
        ],
    }
