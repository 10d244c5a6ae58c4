"""The demo company's planted overloaded executives come out of the quarterly rebalance within capacity."""

import pytest

from execsponsor.program.models import Sponsorship
from execsponsor.program.rebalance import services as rebalance_services
from execsponsor.users.models import Role, User

pytestmark = pytest.mark.django_db


def test_the_planted_overloaded_executives_are_rebalanced(demo_company):
    overloaded = demo_company["overloaded_executives"]
    assert overloaded, "the demo plants at least one overloaded executive"
    owner = User.objects.filter(role=Role.PROGRAM_OWNER).first()
    batch = rebalance_services.rebalance_propose(by=owner)
    for planted in overloaded:
        live = Sponsorship.objects.live().filter(executive__user__username=planted["username"]).count()
        assert live > planted["capacity_max"]
        moves = batch.proposals.filter(from_sponsorship__executive__user__username=planted["username"])
        assert any("against a capacity of" in p.reason or p.action == "remove" for p in moves)
    rebalance_services.rebalance_apply(batch=batch, by=owner)
    for planted in overloaded:
        live = Sponsorship.objects.live().filter(executive__user__username=planted["username"]).count()
        assert live <= planted["capacity_max"], planted["username"]
