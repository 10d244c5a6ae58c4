"""Each role's home, behind the one address `/`, and the Program page. Thin: pick the home, read, render."""

from __future__ import annotations

from django.shortcuts import render

from execsponsor.access.rules import can, permission_required
from execsponsor.access.visibility import sees_every_account
from execsponsor.home import selectors
from execsponsor.home.getting_started import getting_started_steps
from execsponsor.program.selectors_charter import charter_counts
from execsponsor.users.models import Role


def home(request):
    user = request.user
    if sees_every_account(user):
        return _program_home(request)
    if user.role == Role.EXECUTIVE:
        context = {"nav": "home", "home": selectors.sponsor_home(user=user)}
        return render(request, "home/sponsor_home.html", context)
    if user.role in (Role.ACCOUNT_EXECUTIVE, Role.CSM):
        context = {"nav": "home", "home": selectors.account_team_home(user=user)}
        return render(request, "home/account_team_home.html", context)
    return render(request, "home/no_home.html", {"nav": "home"})


def _program_home(request):
    """The program at a glance: with the actions for those who run the program, read-only for the viewer."""
    user = request.user
    can_act = can(user, "execsponsor.run_program")
    steps = getting_started_steps() if can_act else None
    context = {
        "nav": "home",
        "glance": selectors.program_glance(user=user),
        "can_act": can_act,
        "getting_started_steps": steps,
        "getting_started_done": sum(step.done for step in steps or ()),
        "charters": charter_counts(),
    }
    return render(request, "home/program_home.html", context)


@permission_required("execsponsor.run_program")
def program_overview(request):
    context = {
        "nav": "program",
        "status": selectors.program_status(user=request.user),
        "charters": charter_counts(),
    }
    return render(request, "home/program_overview.html", context)
