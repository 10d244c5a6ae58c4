"""The impact page: the latest stored analysis for the owner and the viewer; the owner can run it now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from execsponsor.insights.impact import impact_analysis_record, impact_page
from execsponsor.users.permissions import permission_required


@login_required
@permission_required("execsponsor.view_program_results")
def impact(request):
    return render(request, "insights/impact.html", {"nav": "impact", "page": impact_page()})


@require_POST
@login_required
@permission_required("execsponsor.run_program")
def impact_run(request):
    run = impact_analysis_record(by=request.user)
    if "error" in run.result:
        messages.error(request, f"The impact analysis cannot run: {run.result['error']}.")
    else:
        messages.success(request, f"Impact analysis recomputed in {run.seconds:.1f} s.")
    return redirect("insights:impact")
