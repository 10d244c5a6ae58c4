"""Program-wide periodic jobs that belong to no single app: the cadence sweep."""

from __future__ import annotations

from collections import Counter

from huey import crontab

from execsponsor.engagements.cadence import cadence_sweep
from execsponsor.jobs.recording import periodic
from execsponsor.program.models import Sponsorship


def cadence_states() -> dict[str, int]:
    """How many live sponsorships are in each cadence state today (ok, at_risk, overdue, paused …)."""
    counts = Counter(str(cadence.state) for _, cadence in cadence_sweep(Sponsorship.objects.live()))
    return {"sponsorships": sum(counts.values()), **dict(sorted(counts.items()))}


@periodic("cadence-sweep", crontab(minute="5"), when="Every hour at :05")
def hourly_cadence_sweep() -> dict[str, int]:
    """Every live sponsorship's cadence, counted by state for the Jobs page; the going-cold list kept for the
    program dashboard."""
    from execsponsor.insights.dashboard import going_cold_warm

    going_cold_warm()
    return cadence_states()
