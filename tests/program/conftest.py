"""A small company for selection and matching: executives with languages and time zones, accounts that need them."""

import pytest

from execsponsor.users.models import ExecutiveFunction, ExecutiveLevel, Role
from tests.factories import AccountFactory, ContactFactory, ExecutiveFactory, UserFactory


@pytest.fixture
def company(db):
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    ceo = ExecutiveFactory(
        user__username="ceo",
        user__first_name="Maria",
        user__last_name="Lindqvist",
        function=ExecutiveFunction.CEO,
        capacity_min=0,
        capacity_max=1,
    )
    cfo = ExecutiveFactory(
        user__username="cfo",
        user__first_name="Dana",
        user__last_name="Whitfield",
        function=ExecutiveFunction.CFO,
        industries=["Banking"],
        reports_to=ceo,
        capacity_min=0,
        capacity_max=2,
        time_zone="America/New_York",
    )
    cto = ExecutiveFactory(
        user__username="cto",
        user__first_name="Kenji",
        user__last_name="Watanabe",
        function=ExecutiveFunction.CTO,
        industries=["Manufacturing"],
        languages=["en", "ja"],
        reports_to=ceo,
        capacity_min=1,
        capacity_max=2,
        time_zone="Asia/Tokyo",
    )
    ExecutiveFactory(
        user__username="vp", function=ExecutiveFunction.SALES, level=ExecutiveLevel.VP, capacity_min=0, capacity_max=3
    )
    bank = AccountFactory(name="Blue Harbor Bank", industry="Banking", arr=900_000, time_zone="America/New_York")
    ContactFactory(account=bank, title="Chief Financial Officer", seniority="c_level")
    sakura = AccountFactory(
        name="Sakura Denki K.K.", industry="Manufacturing", arr=700_000, time_zone="Asia/Tokyo", required_language="ja"
    )
    nordlicht = AccountFactory(
        name="Nordlicht AG", industry="Insurance", arr=400_000, time_zone="Europe/Berlin", required_language="de"
    )
    AccountFactory(name="Corner Shop", segment="smb", arr=5_000)
    return {"owner": owner, "ceo": ceo, "cfo": cfo, "cto": cto, "bank": bank, "sakura": sakura, "nord": nordlicht}
