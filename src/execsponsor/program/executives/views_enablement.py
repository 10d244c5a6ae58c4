"""The enablement catalogue page and the ticks on an executive's checklist. Everyone signed in reads the
catalogue; the program owner and admins edit it and record completions (403 otherwise, 422 / 409 on bad or
stale input, with the message on the page)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from execsponsor.access.rules import can, permission_required
from execsponsor.common.errors import ConcurrentEdit, DomainError
from execsponsor.program.executives import policy
from execsponsor.users import enablement
from execsponsor.users.forms_enablement import EnablementItemForm, EnablementPolicyForm, EnablementTickForm
from execsponsor.users.models import EnablementItem, Executive


def _page(request, *, forms: dict | None = None, problem: tuple[str, str] | None = None, status: int = 200):
    forms = forms or {}
    can_edit = can(request.user, "execsponsor.run_program")
    mode, version = policy.enablement_policy()
    rows = []
    for item in enablement.catalogue(include_retired=True):
        form = forms.get(item.pk)
        if form is None and can_edit:
            form = EnablementItemForm(
                prefix=f"item{item.pk}",
                initial={
                    "label": item.label,
                    "description": item.description,
                    "audience": item.audience,
                    "position": item.position,
                    "is_active": item.is_active,
                    "version": item.version,
                },
            )
        rows.append({"item": item, "form": form, "completed": item.completions.count()})
    context = {
        "nav": "executives",
        "rows": rows,
        "can_edit": can_edit,
        "mode": mode,
        "mode_label": enablement.POLICY_MODES[mode],
        "new_form": forms.get("new") or EnablementItemForm(prefix="new"),
        "policy_form": forms.get("policy") or EnablementPolicyForm(initial={"matching": mode, "version": version}),
        "problem_where": problem[0] if problem else "",
        "problem": problem[1] if problem else "",
    }
    return render(request, "executives/enablement_catalogue.html", context, status=status)


def _status_of(exc: DomainError) -> int:
    return 409 if isinstance(exc, ConcurrentEdit) else 422


@require_GET
def enablement_catalogue(request):
    return _page(request)


@require_POST
@permission_required("execsponsor.run_program")
def enablement_item_new(request):
    form = EnablementItemForm(request.POST, prefix="new")
    if not form.is_valid():
        return _page(request, forms={"new": form}, problem=("new", "Check the fields below."), status=422)
    try:
        item = enablement.enablement_item_create(by=request.user, fields=form.item_fields())
    except DomainError as exc:
        return _page(request, forms={"new": form}, problem=("new", exc.message), status=_status_of(exc))
    messages.success(request, f"“{item.label}” added to the catalogue.")
    return redirect("executives:enablement_catalogue")


@require_POST
@permission_required("execsponsor.run_program")
def enablement_item_edit(request, pk: int):
    item = get_object_or_404(EnablementItem, pk=pk)
    form = EnablementItemForm(request.POST, prefix=f"item{pk}")
    if not form.is_valid():
        return _page(request, forms={pk: form}, problem=(str(pk), "Check the fields below."), status=422)
    try:
        enablement.enablement_item_update(
            item=item, by=request.user, changes=form.item_fields(), expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        return _page(request, forms={pk: form}, problem=(str(pk), exc.message), status=_status_of(exc))
    messages.success(request, f"“{form.cleaned_data['label']}” saved.")
    return redirect(f"{reverse('executives:enablement_catalogue')}#item-{pk}")


@require_POST
@permission_required("execsponsor.run_program")
def enablement_policy_edit(request):
    form = EnablementPolicyForm(request.POST)
    if not form.is_valid():
        return _page(request, forms={"policy": form}, problem=("policy", "Pick warn or exclude."), status=422)
    try:
        policy.enablement_policy_save(
            by=request.user, mode=form.cleaned_data["matching"], expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        return _page(request, forms={"policy": form}, problem=("policy", exc.message), status=_status_of(exc))
    messages.success(request, "Enablement policy saved; the next matching run follows it.")
    return redirect("executives:enablement_catalogue")


@require_POST
@permission_required("execsponsor.run_program")
def enablement_tick(request, pk: int):
    """Tick (with a date, today by default) or untick one item on an executive's checklist."""
    executive = get_object_or_404(Executive.objects.select_related("user"), pk=pk)
    form = EnablementTickForm(request.POST)
    back = f"{executive.get_absolute_url()}#enablement"
    if not form.is_valid():
        messages.error(request, "Pick an item and give a valid date (YYYY-MM-DD).")
        return redirect(back)
    item = EnablementItem.objects.filter(pk=form.cleaned_data["item"]).first()
    if item is None:
        messages.error(request, "That item is not in the catalogue any more; reload the page.")
        return redirect(back)
    try:
        if form.cleaned_data["done"]:
            enablement.enablement_complete(
                executive=executive, item=item, by=request.user, completed_on=form.cleaned_data["completed_on"]
            )
            messages.success(request, f"{executive.user}: “{item.label}” recorded as completed.")
        else:
            enablement.enablement_uncomplete(executive=executive, item=item, by=request.user)
            messages.success(request, f"{executive.user}: “{item.label}” taken back.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back)
