"""The quarterly rebalance pages: the batches, a proposal to review, apply and revert (program owner and admin)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import DomainError
from execsponsor.program.models import RebalanceBatch
from execsponsor.program.rebalance import services as rebalance_services


@permission_required("execsponsor.run_program")
def rebalance_list(request):
    batches = RebalanceBatch.objects.select_related("created_by", "applied_by").annotate(n=Count("proposals"))[:20]
    return render(request, "program/rebalance_list.html", {"nav": "program", "batches": batches})


@require_POST
@permission_required("execsponsor.run_program")
def rebalance_new(request):
    batch = rebalance_services.rebalance_propose(by=request.user)
    return redirect("program:rebalance_detail", pk=batch.pk)


@permission_required("execsponsor.run_program")
def rebalance_detail(request, pk: int):
    batch = get_object_or_404(RebalanceBatch.objects.select_related("created_by", "applied_by"), pk=pk)
    proposals = batch.proposals.select_related(
        "account", "from_sponsorship__executive__user", "to_executive__user"
    ).order_by("action", "account__name")
    return render(request, "program/rebalance_detail.html", {"nav": "program", "batch": batch, "proposals": proposals})


@require_POST
@permission_required("execsponsor.run_program")
def rebalance_apply(request, pk: int):
    batch = get_object_or_404(RebalanceBatch, pk=pk)
    accepted = [int(v) for v in request.POST.getlist("accept") if v.isdigit()]
    try:
        rebalance_services.rebalance_apply(batch=batch, by=request.user, accepted_ids=accepted)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Applied {len(accepted)} changes as one batch. You can revert it from this page.")
    return redirect("program:rebalance_detail", pk=pk)


@require_POST
@permission_required("execsponsor.run_program")
def rebalance_revert(request, pk: int):
    batch = get_object_or_404(RebalanceBatch, pk=pk)
    try:
        rebalance_services.rebalance_revert(batch=batch, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Reverted: every sponsorship is back as it was before this batch.")
    return redirect("program:rebalance_detail", pk=pk)
