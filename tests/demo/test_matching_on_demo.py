"""The first matching run on the demo company keeps the running program, and approval applies exactly it."""

from collections import Counter

import pytest

from execsponsor.program.matching import services as matching_services
from execsponsor.program.matching.inputs import MatchingOptions
from execsponsor.program.models import Sponsorship
from execsponsor.users.models import Role, User

pytestmark = pytest.mark.django_db


def test_the_first_run_changes_few_live_sponsorships_and_approval_leaves_the_runs_loads(demo_company):
    owner = User.objects.filter(role=Role.PROGRAM_OWNER).first()
    live_before = Sponsorship.objects.live().count()
    run = matching_services.matching_run_create(by=owner, options=MatchingOptions())
    assert run.solver_status == "optimal"
    decisions = run.result["sponsorships"]
    assert len(decisions) == live_before  # a decision for every live sponsorship
    changed = [d for d in decisions if d["change"] != "keep"]
    assert len(changed) < 0.10 * live_before, [d["reason"] for d in changed]
    assert all(d["reason"] for d in decisions)
    # The demo's live sponsorships meet its own default rules: nothing is kept only by grandfathering.
    assert run.result["enforcing"] == []
    matching_services.matching_run_approve(run=run, by=owner)
    loads = Counter(Sponsorship.objects.live().values_list("executive_id", flat=True))
    table = {row["executive_id"]: row["load"] for row in run.result["executives"]}
    assert {executive: loads.get(executive, 0) for executive in table} == table
    assert sum(loads.values()) == sum(table.values()) == len(run.result["pairs"])
    assert all(row["load"] <= row["capacity_max"] for row in run.result["executives"])
