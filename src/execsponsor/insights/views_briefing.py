"""The briefing pack of an account, as a page and as a one-page PDF, for whoever may see the account."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from execsponsor.common.pdf import PDF_CONTENT_TYPE
from execsponsor.customers.models import Account
from execsponsor.insights.briefing import BriefingPack, briefing_pack, briefing_pdf_bytes


def _pack(user, pk: int) -> BriefingPack:
    try:
        return briefing_pack(user=user, account_id=pk)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None


@require_GET
def briefing_page(request, pk: int):
    pack = _pack(request.user, pk)
    return render(request, "insights/briefing_page.html", {"nav": "accounts", "pack": pack, "account": pack.account})


@require_GET
def briefing_pdf(request, pk: int):
    try:
        pdf, filename = briefing_pdf_bytes(user=request.user, account_id=pk)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
