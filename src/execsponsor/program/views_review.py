"""The program review pages: the list of reviews, one review (agenda, notes, decisions) and its actions.

Everyone signed in reads (what they may see, review_selectors); the program owner and admins write: 403 for
others, 422 for bad input and 409 for a stale version, with the message beside the form it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from execsponsor.access.rules import can, permission_required
from execsponsor.common.errors import ConcurrentEdit, DomainError, NotPermitted
from execsponsor.engagements.cadence import cadence_today
from execsponsor.program import review_selectors as selectors
from execsponsor.program import review_services as services
from execsponsor.program.forms_review import (
    DecisionForm,
    ReviewNotesForm,
    ReviewPrepareForm,
    ReviewTickForm,
    ReviewVersionForm,
)
from execsponsor.program.models import ReviewDecision
from execsponsor.program.review_agenda import review_every_days


def _status_of(exc: DomainError) -> int:
    return 409 if isinstance(exc, ConcurrentEdit) else 422


@require_GET
def review_list(request):
    return _list_page(request)


def _list_page(request, *, form=None, problem: str = "", status: int = 200):
    today = cadence_today()
    can_edit = can(request.user, "execsponsor.run_program")
    context = {
        "nav": "program",
        "reviews": selectors.review_list(user=request.user),
        "upcoming": services.upcoming_review(today),
        "next_on": services.next_review_on(today),
        "every_days": review_every_days(),
        "can_edit": can_edit,
        "prepare_form": form or ReviewPrepareForm(initial={"held_on": services.next_review_on(today)}),
        "problem": problem,
        "my_decisions": selectors.open_decisions_of(user=request.user),
        "today": today,
    }
    return render(request, "program/review_list.html", context, status=status)


@require_POST
@permission_required("execsponsor.run_program")
def review_prepare(request):
    form = ReviewPrepareForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form=form, problem="Give the date of the review.", status=422)
    try:
        review = services.review_prepare(by=request.user, held_on=form.cleaned_data["held_on"])
    except DomainError as exc:
        return _list_page(request, form=form, problem=exc.message, status=_status_of(exc))
    messages.success(request, f"The review of {review.held_on:%d %b %Y} is prepared: {len(review.agenda)} items.")
    return redirect(review)


def _account_choices(page) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for group in page.groups:
        for item in group.items:
            if item.get("account_id"):
                seen.setdefault(item["account_id"], item["account_name"])
    for decision in page.decisions:
        if decision.account_id:
            seen.setdefault(decision.account_id, decision.account.name)
    return sorted(seen.items(), key=lambda pair: pair[1].casefold())


def _detail_page(request, review, *, forms: dict | None = None, problem: tuple[str, str] | None = None, status=200):
    forms = forms or {}
    page = selectors.review_page(user=request.user, review=review)
    can_edit = can(request.user, "execsponsor.run_program")
    owners = selectors.decision_owner_candidates() if can_edit else []
    accounts = _account_choices(page)
    decision_rows = []
    for decision in page.decisions:
        form = forms.get(decision.pk)
        if form is None and can_edit:
            form = DecisionForm(
                prefix=f"d{decision.pk}",
                owners=owners,
                accounts=accounts,
                initial={
                    "decision": decision.decision,
                    "owner": decision.owner_id,
                    "due_on": decision.due_on,
                    "account": decision.account_id,
                    "status": decision.status,
                    "version": decision.version,
                },
            )
        decision_rows.append({"decision": decision, "form": form})
    context = {
        "nav": "program",
        "page": page,
        "review": review,
        "can_edit": can_edit,
        "decision_rows": decision_rows,
        "notes_form": forms.get("notes") or ReviewNotesForm(initial={"notes": review.notes, "version": review.version}),
        "decision_form": forms.get("new") or DecisionForm(prefix="new", owners=owners, accounts=accounts),
        "problem_where": problem[0] if problem else "",
        "problem": problem[1] if problem else "",
        "today": cadence_today(),
    }
    return render(request, "program/review_detail.html", context, status=status)


@require_GET
def review_detail(request, pk: int):
    review = selectors.review_get(user=request.user, review_id=pk)
    return _detail_page(request, review)


@require_POST
@permission_required("execsponsor.run_program")
def review_refresh(request, pk: int):
    review = selectors.review_get(user=request.user, review_id=pk)
    form = ReviewVersionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, review, problem=("agenda", "Reload the page and try again."), status=422)
    try:
        services.review_refresh_agenda(review=review, by=request.user, expected_version=form.cleaned_data["version"])
    except DomainError as exc:
        return _detail_page(request, review, problem=("agenda", exc.message), status=_status_of(exc))
    messages.success(request, "Agenda refreshed from what needs attention now; your ticks are kept.")
    return redirect(review)


@require_POST
@permission_required("execsponsor.run_program")
def review_notes(request, pk: int):
    review = selectors.review_get(user=request.user, review_id=pk)
    form = ReviewNotesForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, review, forms={"notes": form}, problem=("notes", "Check the notes."), status=422)
    try:
        services.review_notes_update(
            review=review,
            by=request.user,
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        return _detail_page(
            request, review, forms={"notes": form}, problem=("notes", exc.message), status=_status_of(exc)
        )
    messages.success(request, "Notes saved.")
    return redirect(f"{review.get_absolute_url()}#notes")


@require_POST
@permission_required("execsponsor.run_program")
def review_tick(request, pk: int):
    review = selectors.review_get(user=request.user, review_id=pk)
    form = ReviewTickForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, review, problem=("agenda", "That tick named no agenda item."), status=422)
    try:
        services.review_item_tick(
            review=review, by=request.user, key=form.cleaned_data["key"], discussed=form.cleaned_data["discussed"]
        )
    except DomainError as exc:
        return _detail_page(request, review, problem=("agenda", exc.message), status=_status_of(exc))
    return redirect(f"{review.get_absolute_url()}#item-{form.cleaned_data['key'].replace(':', '-')}")


def _decision_form(request, review, prefix: str) -> DecisionForm:
    page = selectors.review_page(user=request.user, review=review)
    return DecisionForm(
        request.POST, prefix=prefix, owners=selectors.decision_owner_candidates(), accounts=_account_choices(page)
    )


@require_POST
@permission_required("execsponsor.run_program")
def decision_new(request, pk: int):
    review = selectors.review_get(user=request.user, review_id=pk)
    form = _decision_form(request, review, "new")
    if not form.is_valid():
        return _detail_page(request, review, forms={"new": form}, problem=("new", "Check the decision."), status=422)
    try:
        decision = services.decision_create(review=review, by=request.user, fields=form.decision_fields())
    except DomainError as exc:
        return _detail_page(request, review, forms={"new": form}, problem=("new", exc.message), status=_status_of(exc))
    messages.success(request, "Decision recorded." + (" Its owner has a task for it." if decision.task_id else ""))
    return redirect(f"{review.get_absolute_url()}#decisions")


@require_POST
@permission_required("execsponsor.run_program")
def decision_edit(request, pk: int):
    decision = get_object_or_404(ReviewDecision.objects.select_related("review"), pk=pk)
    review = decision.review
    form = _decision_form(request, review, f"d{pk}")
    where = str(pk)
    if not form.is_valid():
        return _detail_page(request, review, forms={pk: form}, problem=(where, "Check the decision."), status=422)
    try:
        services.decision_update(
            decision=decision,
            by=request.user,
            changes=form.decision_fields(),
            expected_version=form.cleaned_data["version"],
        )
    except NotPermitted:
        raise
    except DomainError as exc:
        return _detail_page(request, review, forms={pk: form}, problem=(where, exc.message), status=_status_of(exc))
    messages.success(request, "Decision saved.")
    return redirect(f"{review.get_absolute_url()}#decision-{pk}")


@require_POST
@permission_required("execsponsor.run_program")
def decision_delete(request, pk: int):
    decision = get_object_or_404(ReviewDecision.objects.select_related("review"), pk=pk)
    review = decision.review
    form = ReviewVersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.decision_delete(decision=decision, by=request.user, expected_version=version)
    except DomainError as exc:
        return _detail_page(request, review, problem=(str(pk), exc.message), status=_status_of(exc))
    messages.success(request, "Decision removed.")
    return redirect(f"{reverse('program:review_detail', args=[review.pk])}#decisions")
