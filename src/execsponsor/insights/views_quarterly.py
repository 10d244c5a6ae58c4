"""The quarterly program review, downloaded from the dashboard as a PDF or a CSV."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import InvalidInput
from execsponsor.common.pdf import PDF_CONTENT_TYPE, pdf_filename
from execsponsor.insights.quarterly import Quarter, quarterly_csv, quarterly_pdf, quarterly_review


def _review(request):
    text = request.GET.get("quarter", "").strip()
    quarter = Quarter.parse(text) if text else None
    return quarterly_review(by=request.user, quarter=quarter)


@permission_required("execsponsor.view_program_results")
def quarterly_review_pdf(request):
    try:
        review = _review(request)
    except InvalidInput as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(quarterly_pdf(review), content_type=PDF_CONTENT_TYPE)
    name = pdf_filename("program-review", review.quarter.slug)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("execsponsor.view_program_results")
def quarterly_review_csv(request):
    try:
        review = _review(request)
    except InvalidInput as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(quarterly_csv(review), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-review-{review.quarter.slug}.csv"'
    return response
