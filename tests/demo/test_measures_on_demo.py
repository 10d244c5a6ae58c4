"""The product finds the demo's planted earlier-access and unexpected-business opportunities (docs/demo.md)."""

from __future__ import annotations

import pytest

from execsponsor.customers.models import Opportunity
from execsponsor.insights.measures import program_measures
from execsponsor.users.services import system_user
from tests.demo.conftest import AS_OF

pytestmark = pytest.mark.django_db


def _precision_recall(found: set[str], planted: set[str]) -> tuple[float, float]:
    hits = len(found & planted)
    return (hits / len(found) if found else 0.0), (hits / len(planted) if planted else 0.0)


def _external_ids(pks) -> set[str]:
    return set(Opportunity.objects.filter(pk__in=list(pks)).values_list("external_id", flat=True))


def test_the_measures_find_the_planted_opportunities(demo_company):
    measures = program_measures(by=system_user(), as_of=AS_OF, quarters=8)
    planted_early = {p["opportunity"] for p in demo_company["earlier_access"]["planted"]}
    planted_unexpected = {p["opportunity"] for p in demo_company["unexpected_business"]["planted"]}
    found_early = _external_ids(i.opportunity_id for i in measures.earlier_access if i.how == "derived")
    found_unexpected = _external_ids(i.opportunity_id for i in measures.unexpected_business)
    early = _precision_recall(found_early, planted_early)
    unexpected = _precision_recall(found_unexpected, planted_unexpected)
    print(
        f"earlier access: {len(planted_early)} planted, {len(found_early)} found, precision {early[0]:.2f}, "
        f"recall {early[1]:.2f}; unexpected business: {len(planted_unexpected)} planted, {len(found_unexpected)} "
        f"found, precision {unexpected[0]:.2f}, recall {unexpected[1]:.2f}"
    )
    assert len(planted_early) >= 5 and len(planted_unexpected) >= 5
    assert early == (1.0, 1.0)
    assert unexpected == (1.0, 1.0)


def test_the_planted_opportunities_show_in_the_quarters_they_opened(demo_company):
    measures = program_measures(by=system_user(), as_of=AS_OF, quarters=8)
    assert sum(q.earlier_access for q in measures.quarters) == len(demo_company["earlier_access"]["planted"])
    assert sum(q.unexpected_business for q in measures.quarters) >= len(demo_company["unexpected_business"]["planted"])
    current = measures.current
    assert current.live_sponsorships > 0 and current.cadence_adherence is not None
    # Revenue is recorded per complete quarter: NRR and GRR first show for the last complete one (docs/demo.md).
    assert current.nrr is None
    last = measures.quarters[-2]
    assert last.nrr is not None and last.grr is not None and last.grr <= last.nrr
