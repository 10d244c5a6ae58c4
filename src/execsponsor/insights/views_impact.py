"""The impact page: the latest stored analysis for the owner and the viewer; the owner can run it now."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from execsponsor.access.rules import permission_required
from execsponsor.insights.impact import impact_analysis_request, impact_page, latest_impact_analysis


@permission_required("execsponsor.view_program_results")
def impact(request):
    return render(request, "insights/impact.html", {"nav": "dashboard", "page": impact_page()})


@require_POST
@permission_required("execsponsor.run_program")
def impact_run(request):
    impact_analysis_request(by=request.user)
    last = latest_impact_analysis()
    took = f" (the last run took {last.seconds:.0f} s)" if last and last.seconds >= 1 else ""
    messages.success(request, f"The impact analysis is running on the worker{took}; reload this page to see it.")
    return redirect("insights:impact")
