"""The health settings page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from execsponsor.access.rules import require
from execsponsor.common.errors import ConcurrentEdit
from execsponsor.core.health import HealthPolicy
from execsponsor.insights.backtest import health_backtest
from execsponsor.insights.forms import HealthWeightsForm
from execsponsor.insights.policy import health_policy, health_policy_save
from execsponsor.insights.tasks import nightly_health_recompute


def health_settings(request):
    """The health weights, with a back-test of how well they predicted churn a year ago; preview before saving."""
    require(request.user, "execsponsor.run_program", to="change the health weights")
    current, version = health_policy()
    form = HealthWeightsForm(initial={**current.weights, "version": version})
    candidate, status = current, 200
    if request.method == "POST":
        form = HealthWeightsForm(request.POST)
        if form.is_valid():
            candidate = HealthPolicy(weights=form.weights(), segment_weights=current.segment_weights)
            if request.POST.get("action") == "save":
                try:
                    health_policy_save(
                        by=request.user, weights=form.weights(), expected_version=form.cleaned_data["version"]
                    )
                except ConcurrentEdit as error:
                    form.add_error(None, str(error))
                    status = 409
                else:
                    if request.POST.get("recompute"):
                        nightly_health_recompute()
                    when = "is being recomputed now" if request.POST.get("recompute") else "is recomputed tonight"
                    messages.success(request, f"Saved. Every account's health {when} with these weights.")
                    return redirect("insights:health_settings")
        else:
            status = 422
    context = {
        "nav": "program",
        "form": form,
        "current": health_backtest(policy=current),
        "candidate": health_backtest(policy=candidate) if candidate is not current else None,
    }
    return render(request, "insights/health_settings.html", context, status=status)
