"""The role charters page and the sponsorship charter page (objectives, alignment, lifecycle, supporters).

Thin: a form parses, a service decides and writes, the page is rendered again. A refused change re-renders the
page with the message beside the form it came from: 422 for bad input, 409 for a stale version; 403 for a
change the user's role may not make; 404 for a sponsorship whose account they may not see.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from execsponsor.access.rules import can, permission_required
from execsponsor.common.errors import ConcurrentEdit, DomainError, NotPermitted
from execsponsor.program import charter_services, lifecycle, services
from execsponsor.program import selectors_charter as selectors
from execsponsor.program.forms_charter import (
    AlignmentNotesForm,
    AlignmentTickForm,
    ObjectiveForm,
    ObjectiveStatusForm,
    RoleCharterForm,
    SponsorshipCharterForm,
    SupportingExecutiveForm,
    TransitionForm,
)
from execsponsor.program.models import ALIGNMENT_NOTES, SupportingExecutive


def _status_of(exc: DomainError) -> int:
    return 409 if isinstance(exc, ConcurrentEdit) else 422


# Role charters


@require_GET
def role_charters(request):
    return _role_charters_page(request)


def _role_charters_page(request, *, forms: dict | None = None, problems: dict | None = None, status: int = 200):
    can_edit = can(request.user, "execsponsor.run_program")
    forms, problems = forms or {}, problems or {}
    rows = []
    for row in selectors.role_charters():
        charter = row.charter
        form = forms.get(charter.role)
        if form is None and can_edit:
            initial = {"responsibilities": charter.responsibilities, "does_not": charter.does_not}
            form = RoleCharterForm(prefix=charter.role, initial={**initial, "version": charter.version})
        rows.append({"charter": charter, "changes": row.changes, "form": form, "problem": problems.get(charter.role)})
    context = {"nav": "charters", "rows": rows, "can_edit": can_edit}
    return render(request, "program/role_charters.html", context, status=status)


@require_POST
@permission_required("execsponsor.run_program")
def role_charter_edit(request, role: str):
    if role not in selectors.CHARTER_ROLES:
        raise Http404("No charter for that role")
    form = RoleCharterForm(request.POST, prefix=role)
    if not form.is_valid():
        return _role_charters_again(request, role, form, "Check the fields below.", 422)
    try:
        charter_services.role_charter_update(
            role=role,
            by=request.user,
            responsibilities=form.cleaned_data["responsibilities"],
            does_not=form.cleaned_data["does_not"],
            expected_version=form.cleaned_data["version"],
        )
    except NotPermitted:
        raise
    except DomainError as exc:
        return _role_charters_again(request, role, form, exc.message, _status_of(exc))
    messages.success(request, "Charter saved.")
    return redirect(f"{reverse('program:role_charters')}#charter-{role}")


def _role_charters_again(request, role, form, problem, status):
    return _role_charters_page(request, forms={role: form}, problems={role: problem}, status=status)


# The sponsorship charter page


def _page(request, sponsorship, *, forms: dict | None = None, problem: tuple[str, str] | None = None, status=200):
    page = selectors.charter_page(user=request.user, sponsorship=sponsorship)
    forms = forms or {}
    alignment = page.alignment
    context = {
        "nav": "accounts",
        "page": page,
        "sponsorship": sponsorship,
        "account": sponsorship.account,
        "charter_form": forms.get("charter")
        or SponsorshipCharterForm(
            initial={
                "charter_objectives": sponsorship.charter_objectives,
                "charter_expectations": sponsorship.charter_expectations,
                "customer_commitment": sponsorship.customer_commitment,
                "version": sponsorship.version,
            }
        ),
        "objective_form": forms.get("objective") or ObjectiveForm(owners=page.owners, prefix="new"),
        "notes_form": forms.get("notes")
        or AlignmentNotesForm(
            initial={**{name: getattr(alignment, name) for name in ALIGNMENT_NOTES}, "version": alignment.version}
        ),
        "supporting_form": forms.get("supporting") or SupportingExecutiveForm(executives=page.executives),
        "objective_statuses": ObjectiveStatusForm.base_fields["status"].choices,
        "problem_where": problem[0] if problem else "",
        "problem": problem[1] if problem else "",
    }
    return render(request, "program/sponsorship_charter.html", context, status=status)


@require_GET
def sponsorship_charter(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    return _page(request, sponsorship)


def _back(sponsorship, anchor: str):
    return redirect(f"{reverse('program:sponsorship_charter', args=[sponsorship.pk])}#{anchor}")


def _refused(request, sponsorship, where: str, exc: DomainError, forms: dict | None = None):
    if isinstance(exc, NotPermitted):
        raise exc
    return _page(request, sponsorship, forms=forms, problem=(where, exc.message), status=_status_of(exc))


def _invalid(request, sponsorship, where: str, form, name: str):
    return _page(request, sponsorship, forms={name: form}, problem=(where, "Check the fields below."), status=422)


@require_POST
def charter_text_edit(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    form = SponsorshipCharterForm(request.POST)
    if not form.is_valid():
        return _invalid(request, sponsorship, "charter", form, "charter")
    changes = {name: form.cleaned_data[name] for name in services.CHARTER_FIELDS}
    try:
        services.sponsorship_update(
            sponsorship=sponsorship, by=request.user, changes=changes, expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        return _refused(request, sponsorship, "charter", exc, {"charter": form})
    messages.success(request, "Charter saved.")
    return _back(sponsorship, "charter")


@require_POST
def objective_new(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    owners = selectors.charter_page(user=request.user, sponsorship=sponsorship).owners
    form = ObjectiveForm(request.POST, owners=owners, prefix="new")
    if not form.is_valid():
        return _invalid(request, sponsorship, "objectives", form, "objective")
    try:
        charter_services.objective_create(sponsorship=sponsorship, by=request.user, fields=form.service_fields())
    except DomainError as exc:
        return _refused(request, sponsorship, "objectives", exc, {"objective": form})
    messages.success(request, f"Objective “{form.cleaned_data['title']}” added.")
    return _back(sponsorship, "objectives")


def _objective_of(sponsorship, objective_id: int):
    objective = sponsorship.objectives.filter(pk=objective_id).first()
    if objective is None:
        raise Http404("No such objective on this sponsorship")
    return objective


@require_POST
def objective_edit(request, pk: int, objective_id: int):
    """The whole objective (the edit form), or only its status (the inline select)."""
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    objective = _objective_of(sponsorship, objective_id)
    if f"o{objective.pk}-title" in request.POST:
        owners = selectors.charter_page(user=request.user, sponsorship=sponsorship).owners
        form = ObjectiveForm(request.POST, owners=owners, prefix=f"o{objective.pk}")
        fields = form.service_fields() if form.is_valid() else None
    else:
        form = ObjectiveStatusForm(request.POST)
        fields = dict(form.cleaned_data) if form.is_valid() else None
    if fields is None:
        message = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return _page(request, sponsorship, problem=("objectives", message), status=422)
    try:
        charter_services.objective_update(objective=objective, by=request.user, changes=fields)
    except DomainError as exc:
        return _refused(request, sponsorship, "objectives", exc)
    messages.success(request, f"Objective “{objective.title}” saved.")
    return _back(sponsorship, "objectives")


@require_POST
def objective_delete(request, pk: int, objective_id: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    objective = _objective_of(sponsorship, objective_id)
    charter_services.objective_delete(objective=objective, by=request.user)
    messages.success(request, f"Objective “{objective.title}” removed.")
    return _back(sponsorship, "objectives")


@require_POST
def alignment_notes_edit(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    form = AlignmentNotesForm(request.POST)
    if not form.is_valid():
        return _invalid(request, sponsorship, "alignment", form, "notes")
    notes = {name: form.cleaned_data[name] for name in ALIGNMENT_NOTES}
    try:
        charter_services.alignment_notes_save(
            sponsorship=sponsorship, by=request.user, notes=notes, expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        return _refused(request, sponsorship, "alignment", exc, {"notes": form})
    messages.success(request, "Alignment notes saved.")
    return _back(sponsorship, "alignment")


@require_POST
def alignment_tick(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    form = AlignmentTickForm(request.POST)
    if not form.is_valid():
        message = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return _page(request, sponsorship, problem=("alignment", message), status=422)
    side = form.cleaned_data["side"]
    try:
        alignment = charter_services.alignment_tick(
            sponsorship=sponsorship,
            by=request.user,
            side=side,
            ticked=form.cleaned_data["ticked"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        return _refused(request, sponsorship, "alignment", exc)
    done = alignment.ae_complete if side == "ae" else alignment.sponsor_complete
    messages.success(request, "Your side of the alignment is complete." if done else "Your ticks are saved.")
    return _back(sponsorship, "alignment")


@require_POST
def sponsorship_transition(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        message = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return _page(request, sponsorship, problem=("lifecycle", message), status=422)
    try:
        moved = lifecycle.sponsorship_transition(
            sponsorship=sponsorship,
            step=form.cleaned_data["step"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
            introduced_on=form.cleaned_data["introduced_on"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _refused(request, sponsorship, "lifecycle", exc)
    messages.success(request, f"The sponsorship is now {moved.get_status_display().lower()}.")
    return _back(sponsorship, "lifecycle")


@require_POST
def supporting_add(request, pk: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    executives = selectors.charter_page(user=request.user, sponsorship=sponsorship).executives
    form = SupportingExecutiveForm(request.POST, executives=executives)
    if not form.is_valid():
        return _invalid(request, sponsorship, "supporting", form, "supporting")
    try:
        supporting = charter_services.supporting_executive_add(
            sponsorship=sponsorship,
            by=request.user,
            executive_id=form.cleaned_data["executive"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _refused(request, sponsorship, "supporting", exc, {"supporting": form})
    messages.success(request, f"{supporting.executive.user} now supports this sponsorship.")
    return _back(sponsorship, "supporting")


@require_POST
def supporting_end(request, pk: int, supporting_id: int):
    sponsorship = selectors.charter_sponsorship_get(user=request.user, sponsorship_id=pk)
    supporting = SupportingExecutive.objects.filter(pk=supporting_id, sponsorship=sponsorship).first()
    if supporting is None:
        raise Http404("No such supporting executive on this sponsorship")
    try:
        charter_services.supporting_executive_end(supporting=supporting, by=request.user)
    except DomainError as exc:
        return _refused(request, sponsorship, "supporting", exc)
    messages.success(request, f"{supporting.executive.user} no longer supports this sponsorship.")
    return _back(sponsorship, "supporting")
