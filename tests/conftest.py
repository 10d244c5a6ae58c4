"""Shared fixtures: one signed-in user per role, and the accounts each of them may or may not see."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from execsponsor.users.models import ExecutiveFunction, ExecutiveLevel, Role
from tests.factories import AccountFactory, ContactFactory, ExecutiveFactory, SponsorshipFactory, UserFactory

# Property tests time each example; on a shared 2-core machine a slow example is load, not a defect.
hypothesis_settings.register_profile("execsponsor", deadline=None)
hypothesis_settings.load_profile("execsponsor")

# Tests that share one generated demo company (a package- or module-scoped fixture) go to one test process and
# run there one after another, so the company is generated once a run; every other test is scheduled on its own,
# as xdist's default "load" does. (xdist's loadgroup does this with a marker, but with pytest 9.2 it no longer
# changes the test ids it groups by, so it groups nothing: this scheduler groups by path.)
SHARED_DEMO_GROUPS = {
    "tests/demo/": "demo-company",
    "tests/insights/test_impact_on_demo.py": "impact-demo",
}


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedDemoScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((group for prefix, group in SHARED_DEMO_GROUPS.items() if path.startswith(prefix)), nodeid)

    return SharedDemoScheduling(config, log)


@dataclass
class Cast:
    """The people and accounts of a small company, for access-control tests."""

    admin: object
    owner: object
    viewer: object
    sponsor: object
    ae: object
    csm: object
    outsider_ae: object
    sponsored_account: object
    owned_account: object
    csm_account: object
    other_account: object

    def user(self, name: str):
        return getattr(self, name)


@pytest.fixture
def cast(db) -> Cast:
    admin = UserFactory(username="ada.admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER, title="Chief Customer Officer")
    viewer = UserFactory(username="victor.viewer", role=Role.VIEWER, title="CFO")
    executive = ExecutiveFactory(user__username="sam.sponsor")
    ae = UserFactory(username="alex.ae", role=Role.ACCOUNT_EXECUTIVE)
    csm = UserFactory(username="casey.csm", role=Role.CSM)
    outsider_ae = UserFactory(username="oscar.outsider", role=Role.ACCOUNT_EXECUTIVE)
    sponsored = AccountFactory(name="Blue Harbor Bank")
    SponsorshipFactory(account=sponsored, executive=executive)
    owned = AccountFactory(name="Cobalt Health Systems", owner=ae)
    csm_account = AccountFactory(name="Delta Retail Group", csm=csm)
    other = AccountFactory(name="Evergreen Energy", owner=outsider_ae)
    return Cast(
        admin=admin,
        owner=owner,
        viewer=viewer,
        sponsor=executive.user,
        ae=ae,
        csm=csm,
        outsider_ae=outsider_ae,
        sponsored_account=sponsored,
        owned_account=owned,
        csm_account=csm_account,
        other_account=other,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(cast) -> Client:
    return client_for(cast.owner)


@pytest.fixture
def company(db):
    """Executives with languages and time zones, and accounts that need them: for selection and matching."""
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
