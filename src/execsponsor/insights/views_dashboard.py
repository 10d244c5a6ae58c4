"""The program dashboard page, for the program owner, the admin and the viewer (read-only)."""

from __future__ import annotations

from django.shortcuts import render

from execsponsor.access.rules import can, permission_required
from execsponsor.insights.dashboard import program_dashboard
from execsponsor.insights.quarterly import review_quarters


@permission_required("execsponsor.view_program_results")
def dashboard(request):
    board = program_dashboard(user=request.user)
    context = {
        "nav": "dashboard",
        "board": board,
        "loads_chart": board.loads_chart(),
        "measures_chart": board.measures_chart(),
        "can_act": can(request.user, "execsponsor.run_program"),
        "review_quarters": review_quarters(board.today),
    }
    return render(request, "insights/dashboard.html", context)
