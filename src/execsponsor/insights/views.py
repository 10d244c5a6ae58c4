"""The relationship map page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from execsponsor.common.querystring import int_param
from execsponsor.customers.models import Account
from execsponsor.insights.relationships import relationship_map


@login_required
def account_relationships(request, pk: int):
    try:
        page = relationship_map(user=request.user, account_id=pk, without=int_param(request.GET, "without"))
    except Account.DoesNotExist:
        raise Http404("No such account") from None
    return render(request, "insights/relationship_map.html", {"nav": "accounts", "map": page})
