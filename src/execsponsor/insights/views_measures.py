"""The measures page, the scorecards (ranked, one executive's, CSV), the settings and the earlier-access override."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from execsponsor.access.rules import can, permission_required, require
from execsponsor.access.visibility import sees_every_account
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.exchange.exporting import safe_cell
from execsponsor.insights.forms import EarlierAccessOverrideForm, MeasureSettingsForm
from execsponsor.insights.measures import (
    ProgramMeasures,
    Scorecard,
    program_measures,
    scorecard_for,
    scorecards,
)
from execsponsor.insights.measures_policy import (
    OVERRIDE_CHOICES,
    earlier_access_override_set,
    measure_policy,
    measure_policy_save,
)
from execsponsor.users.enablement import enablement_summary
from execsponsor.users.models import Executive

PAGE_SIZE = 25


def _settings_form(data=None) -> MeasureSettingsForm:
    policy, version = measure_policy()
    initial = {"version": version, "window_days": policy.window_days, "formal_stages": "\n".join(policy.formal_stages)}
    return MeasureSettingsForm(data, initial=initial)


def chart_data(quarters) -> dict:
    """What static/js/measures.js draws: one series per figure, None where there is no data."""

    def pct(v):
        return round(100 * v, 1) if v is not None else None

    def num(v, digits=2):
        return round(v, digits) if v is not None else None

    return {
        "labels": [q.label for q in quarters],
        "leading": {
            "Cadence adherence (%)": [pct(q.cadence_adherence) for q in quarters],
            "Executive access (% of sponsorships)": [pct(q.executive_access_share) for q in quarters],
        },
        "activity": {
            "Engagements that count per sponsorship": [num(q.engagements_per_sponsorship) for q in quarters],
            "Threads per sponsorship": [num(q.threads_per_sponsorship) for q in quarters],
        },
        "retention": {
            "NRR (%)": [pct(q.nrr) for q in quarters],
            "GRR (%)": [pct(q.grr) for q in quarters],
        },
        "success": {
            "Earlier access": [q.earlier_access for q in quarters],
            "Unexpected business": [q.unexpected_business for q in quarters],
        },
    }


def _page(request, rows, name: str):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(name))


def _measures_context(request, measures: ProgramMeasures, form=None) -> dict:
    can_edit = can(request.user, "execsponsor.run_program")
    return {
        "nav": "measures",
        "measures": measures,
        "current": measures.current,
        "quarters_newest_first": list(reversed(measures.quarters)),
        "chart": chart_data(measures.quarters),
        "executives": _page(request, measures.executives, "epage"),
        "accounts": _page(request, measures.accounts, "apage"),
        "earlier": _page(request, measures.earlier_access, "xpage"),
        "unexpected": _page(request, measures.unexpected_business, "upage"),
        "can_edit": can_edit,
        "settings_form": (form or _settings_form()) if can_edit else None,
        "override_choices": [("derived", "As derived"), ("yes", "Yes"), ("no", "No")],
    }


@permission_required("execsponsor.view_program_results")
def measures(request):
    return render(request, "insights/measures.html", _measures_context(request, program_measures(by=request.user)))


@require_POST
@permission_required("execsponsor.run_program")
def measures_settings(request):
    form = _settings_form(request.POST)
    status = 422
    if form.is_valid():
        try:
            measure_policy_save(
                by=request.user,
                window_days=form.cleaned_data["window_days"],
                formal_stages=form.cleaned_data["formal_stages"],
                expected_version=form.cleaned_data["version"],
            )
        except ConcurrentEdit as error:
            form.add_error(None, str(error))
            status = 409
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Saved. The measures below are computed with the new settings.")
            return redirect("insights:measures")
    context = _measures_context(request, program_measures(by=request.user), form=form)
    return render(request, "insights/measures.html", context, status=status)


@require_POST
@permission_required("execsponsor.run_program")
def earlier_access_override(request):
    """Overrule earlier access for one opportunity (named by its id here or its CRM id), or undo that."""
    form = EarlierAccessOverrideForm(request.POST)
    back = redirect(reverse("insights:measures") + "#earlier-access")
    if not form.is_valid():
        messages.error(request, "; ".join(e for field in form.errors.values() for e in field))
        return back
    try:
        earlier_access_override_set(
            by=request.user,
            opportunity=form.cleaned_data["opportunity"],
            value=OVERRIDE_CHOICES[form.cleaned_data["value"]],
            reason=form.cleaned_data["reason"],
        )
    except InvalidInput as error:
        messages.error(request, str(error))
        return back
    messages.success(request, "Saved: the measures count this opportunity as you said.")
    return back


@permission_required("execsponsor.view_program_results")
def scorecard_list(request):
    cards = scorecards(by=request.user)
    context = {"nav": "measures", "cards": cards, "page": _page(request, cards, "page")}
    return render(request, "insights/scorecards.html", context)


def scorecard(request, executive_id: int):
    executive = get_object_or_404(Executive.objects.select_related("user"), pk=executive_id)
    require(request.user, "execsponsor.view_scorecard", executive)
    card = scorecard_for(executive, by=request.user)
    context = {
        "nav": "measures" if sees_every_account(request.user) else "home",
        "card": card,
        "chart": chart_data(card.quarters),
        "own": executive.user_id == request.user.pk,
        "enablement": enablement_summary(executive),
    }
    return render(request, "insights/scorecard.html", context)


CSV_COLUMNS = (
    "rank", "executive", "function", "quarter", "live_sponsorships", "engagements_counting",
    "engagements_per_sponsorship", "cadence_adherence", "threads_per_sponsorship", "personas_per_sponsorship",
    "executive_access", "executive_access_share", "csat", "nps", "revenue", "nrr", "grr", "pipeline",
    "renewals_won", "renewals_lost", "earlier_access", "earlier_access_amount", "unexpected_business",
    "unexpected_business_amount", "objectives_moving", "enablement",
)  # fmt: skip


def scorecard_csv_row(card: Scorecard) -> list:
    now = card.current
    figures = {name: getattr(now, name) for name in CSV_COLUMNS if hasattr(now, name)}
    values = {
        **figures,
        "rank": card.rank,
        "executive": card.name,
        "function": card.function,
        "quarter": now.label,
        "nrr": card.latest_nrr,
        "objectives_moving": card.objectives_moving,
        "enablement": "; ".join(card.enablement),
    }
    return [safe_cell(values[c]) for c in CSV_COLUMNS]


@permission_required("execsponsor.view_program_results")
def scorecards_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scorecards.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for card in scorecards(by=request.user):
        writer.writerow(scorecard_csv_row(card))
    return response
