"""The nightly recompute reads a dense batch of accounts by range; the result is the same as reading them by list."""

from __future__ import annotations

import pytest

from execsponsor.common.batches import span_of
from execsponsor.customers.models import Account
from execsponsor.insights.health import health_for
from tests.demo.conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_health_of_a_dense_batch_equals_health_read_account_list_by_account_list(demo_company):
    ids = sorted(Account.objects.values_list("pk", flat=True))[:150]
    assert span_of(ids) is not None, "the demo's accounts are numbered densely"
    by_range = {h.account: (h.health.score, dict(h.health.measures)) for h in health_for(ids, today=AS_OF)}
    by_list = {}
    for start in range(0, len(ids), 50):  # 50 ids: read with IN
        chunk = ids[start : start + 50]
        assert span_of(chunk) is None
        by_list.update({h.account: (h.health.score, dict(h.health.measures)) for h in health_for(chunk, today=AS_OF)})
    assert by_range == by_list
    measured = [m for _, m in by_range.values()]
    # The comparison means something only if the batch holds every kind of measure.
    for measure in ("relationship_breadth", "sponsor_strength", "executive_cadence", "csat_nps", "adoption"):
        assert any(m.get(measure) is not None for m in measured), measure
