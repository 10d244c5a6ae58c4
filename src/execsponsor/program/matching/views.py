"""The selection settings page and the matching workbench (program owner and admin only)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import DomainError
from execsponsor.core.selection import CRITERION_SHORT_LABELS, draw_seed
from execsponsor.program.executives import policy
from execsponsor.program.matching import cohort_services, selectors
from execsponsor.program.matching import inputs as matching_inputs
from execsponsor.program.matching import services as matching_services
from execsponsor.program.matching.forms import MatchingRunForm, SelectionSettingsForm
from execsponsor.program.matching.inputs import MatchingOptions
from execsponsor.program.models import LIVE_STATUSES, MatchingRun, RunStatus, Sponsorship
from execsponsor.users import enablement
from execsponsor.users.models import Executive

PREVIEW_ROWS = 50


def _with_movement(current, proposed) -> list[dict]:
    """Rows of the proposed ranking, each with how many places it moved against the saved settings."""
    before = {s.account: rank for rank, s in enumerate(current.ranked, start=1)}
    rows = []
    for rank, scored in enumerate(proposed.ranked[:PREVIEW_ROWS], start=1):
        old = before.get(scored.account)
        breakdown = [(CRITERION_SHORT_LABELS[name], value) for name, value in scored.breakdown.items()]
        rows.append(
            {"rank": rank, "scored": scored, "breakdown": breakdown, "moved": None if old is None else old - rank}
        )
    return rows


@permission_required("execsponsor.run_program")
def selection_settings(request):
    saved = matching_inputs.selection_settings()
    current = selectors.rank_accounts(user=request.user, settings=saved)
    form = SelectionSettingsForm(request.POST or None, initial=SelectionSettingsForm.initial_from(saved))
    rows = _with_movement(current, current)
    shown = current
    previewing = False
    status = 200
    if request.method == "POST":
        if form.is_valid():
            proposed = form.settings()
            if proposed.randomise_boundary and proposed.draw_seed is None and "save" not in request.POST:
                # what the preview draws is what saving keeps: the seed goes back into the form
                proposed.draw_seed = draw_seed()
                data = request.POST.copy()
                data["draw_seed"] = str(proposed.draw_seed)
                form = SelectionSettingsForm(data)
                form.is_valid()
            if "save" in request.POST:
                try:
                    matching_services.selection_settings_save(
                        by=request.user, settings=proposed, expected_version=form.cleaned_data["version"]
                    )
                except DomainError as exc:
                    messages.error(request, exc.message)
                    return redirect("program:selection_settings")
                messages.success(request, "Selection settings saved.")
                return redirect("program:selection_settings")
            shown = selectors.rank_accounts(user=request.user, settings=proposed)
            rows = _with_movement(current, shown)
            previewing = True
        else:
            status = 422
    context = {
        "nav": "program",
        "form": form,
        "rows": rows,
        "previewing": previewing,
        "shortlist_size": len(current.shortlist),
        "excluded_count": len(current.excluded),
        "draw": shown.draw,
        "cut_off": shown.ranked[len(shown.shortlist) - 1].score if shown.shortlist else None,
        "next_below": shown.ranked[len(shown.shortlist)].score if len(shown.ranked) > len(shown.shortlist) else None,
        "randomising": (form.settings() if previewing else saved).randomise_boundary,
        "cohorts": cohort_services.randomised_cohorts()[:10],
    }
    return render(request, "program/selection_settings.html", context, status=status)


def _executives():
    return Executive.objects.filter(is_active=True, user__is_active=True).select_related("user").order_by("pk")


@permission_required("execsponsor.run_program")
def matching_workbench(request):
    form = MatchingRunForm(executives=_executives())
    runs = MatchingRun.objects.select_related("created_by", "approved_by").defer("result")[:20]
    live = Sponsorship.objects.filter(status__in=LIVE_STATUSES).count()
    # What enforcing the hard rules on live sponsorships would do, as the latest run (not itself enforcing) saw it.
    latest = MatchingRun.objects.filter(solver_status="optimal").exclude(options__enforce_rules_on_live=True).first()
    return render(
        request,
        "program/matching_workbench.html",
        {
            "nav": "program",
            "form": form,
            "runs": runs,
            "live_sponsorships": live,
            "executives": _executives(),
            "latest": latest,
            "enforcing": latest.typed_result.enforcing if latest else (),
            **_enablement_context(),
        },
    )


def _enablement_context() -> dict:
    """Each executive's enablement progress for the workbench, the incomplete first, and the policy."""
    executives = list(_executives())
    summaries = enablement.enablement_summaries(executives)
    rows = [{"executive": e, "summary": summaries[e.pk]} for e in executives]
    rows.sort(key=lambda row: (row["summary"].complete, row["summary"].percent, str(row["executive"].user)))
    mode, _ = policy.enablement_policy()
    return {
        "enablement_rows": rows,
        "enablement_incomplete": [row for row in rows if not row["summary"].complete],
        "enablement_excludes": mode == enablement.EXCLUDE,
    }


SEARCH_ROWS = 20


@permission_required("execsponsor.run_program")
def matching_account_search(request):
    """Account names for the workbench's search box (htmx fills a datalist with them)."""
    from execsponsor.customers.models import Account

    query = request.GET.get("q", "").strip()[:100]
    names = (
        Account.objects.filter(name__icontains=query).order_by("name").values_list("name", flat=True)[:SEARCH_ROWS]
        if len(query) >= 2
        else []
    )
    return render(request, "program/_name_options.html", {"names": names})


@require_POST
@permission_required("execsponsor.run_program")
def matching_run_new(request):
    form = MatchingRunForm(request.POST, executives=_executives())
    if not form.is_valid():
        runs = MatchingRun.objects.defer("result")[:20]
        context = {
            "nav": "program",
            "form": form,
            "runs": runs,
            "live_sponsorships": None,
            "executives": _executives(),
            **_enablement_context(),
        }
        return render(request, "program/matching_workbench.html", context, status=422)
    run = matching_services.matching_run_create(
        by=request.user, options=form.options(), label=form.cleaned_data["label"]
    )
    return redirect(run)


@permission_required("execsponsor.run_program")
def matching_run_detail(request, pk: int):
    run = get_object_or_404(MatchingRun.objects.select_related("created_by", "approved_by"), pk=pk)
    options = MatchingOptions.from_dict(run.options)
    executives = {e.pk: str(e.user) for e in _executives()}
    result = run.typed_result
    return render(
        request,
        "program/matching_run.html",
        {
            "nav": "program",
            "run": run,
            "result": result,
            "options": options,
            "stale": run.status == RunStatus.DRAFT and matching_services.run_is_stale(run),
            "without": [executives.get(e, e) for e in options.without_executives],
            "changes": result.changes,
            "moved": result.moved,
            "grandfathered": result.grandfathered,
        },
    )


def _name_of(model, pk: int) -> str:
    found = model.objects.filter(pk=pk).first()
    return str(found.user if model is Executive else found) if found else f"#{pk}"


@require_POST
@permission_required("execsponsor.run_program")
def matching_run_whatif(request, pk: int):
    """Run again with one change: lock or forbid a pair, take an executive out, enforce the rules on live
    sponsorships, or simply again on today's data. The new run keeps this run's pairs where it can."""
    from execsponsor.customers.models import Account

    run = get_object_or_404(MatchingRun, pk=pk)
    options = MatchingOptions.from_dict(run.options)
    options.start_from = run.pk
    action = request.POST.get("action")
    try:
        account_id = int(request.POST.get("account_id", 0))
        executive_id = int(request.POST.get("executive_id", 0))
    except ValueError:
        messages.error(request, "That what-if needs an account and an executive.")
        return redirect(run)
    if action == "lock":
        options.locked = [p for p in options.locked if p[0] != account_id] + [(account_id, executive_id)]
        label = f"lock {_name_of(Account, account_id)} to {_name_of(Executive, executive_id)}"
    elif action == "forbid":
        options.forbidden.append((account_id, executive_id))
        options.locked = [p for p in options.locked if p != (account_id, executive_id)]
        label = f"forbid {_name_of(Executive, executive_id)} for {_name_of(Account, account_id)}"
    elif action == "without":
        options.without_executives.append(executive_id)
        label = f"without {_name_of(Executive, executive_id)}"
    elif action == "enforce":
        options.enforce_rules_on_live = True
        label = "enforcing the hard rules on live sponsorships"
    elif action == "again":
        options.start_from = None  # today's sponsorships win ties, as in a first run
        label = f"run #{run.pk} again on today's data"
    else:
        messages.error(request, "Unknown what-if.")
        return redirect(run)
    new_run = matching_services.matching_run_create(by=request.user, options=options, label=label)
    return redirect(new_run)


@permission_required("execsponsor.run_program")
def matching_run_approve(request, pk: int):
    """GET: the confirmation step, every end and reassignment listed; POST: apply the run as shown."""
    run = get_object_or_404(MatchingRun, pk=pk)
    if request.method == "POST":
        try:
            changed = matching_services.matching_run_approve(run=run, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(run)
        messages.success(
            request, f"Approved: {len(changed)} sponsorships created, reassigned or ended; introductions are planned."
        )
        return redirect(run)
    result = run.typed_result
    return render(
        request,
        "program/matching_approve.html",
        {
            "nav": "program",
            "run": run,
            "stale": run.status == RunStatus.DRAFT and matching_services.run_is_stale(run),
            "changes": result.changes,
            "ends": result.end,
            "reassignments": result.reassign,
            "additions": result.add,
        },
    )


@permission_required("execsponsor.run_program")
def matching_compare(request):
    try:
        first = get_object_or_404(MatchingRun, pk=int(request.GET.get("a", 0)))
        second = get_object_or_404(MatchingRun, pk=int(request.GET.get("b", 0)))
    except ValueError:
        messages.error(request, "Pick two runs to compare.")
        return redirect("program:matching_workbench")
    before = first.typed_result.pairs_by_account()
    after = second.typed_result.pairs_by_account()
    differences = []
    for account_id in sorted(set(before) | set(after), key=lambda a: (before.get(a) or after.get(a)).account_name):
        a, b = before.get(account_id), after.get(account_id)
        if a and b and a.executive_id == b.executive_id:
            continue
        differences.append({"account_name": (a or b).account_name, "first": a, "second": b})
    return render(
        request,
        "program/matching_compare.html",
        {"nav": "program", "first": first, "second": second, "differences": differences},
    )
