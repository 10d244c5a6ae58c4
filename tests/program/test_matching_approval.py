"""Approval applies the run's complete target state: keep, reassign, end and add, nothing more."""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execsponsor.common.errors import InvalidInput
from execsponsor.program.matching import services as matching_services
from execsponsor.program.matching.inputs import MatchingOptions
from execsponsor.program.models import MatchingRun, Sponsorship, SponsorshipStatus
from execsponsor.users.models import ExecutiveFunction, ExecutiveLevel
from tests.conftest import client_for
from tests.factories import AccountFactory, ContactFactory, ExecutiveFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(company):
    """A program that has run for a while: some pairs should stay, some move, some end.

    * Blue Harbor Bank: Dana (CFO, banking) today, and a second live sponsor, Vic (retail, Europe);
    * Granite Trust and Helios Savings: Dana too, so she carries 3 against a capacity of 2 and the
      weakest of her three (Helios: no CFO counterpart) has to move;
    * Sakura Denki: sponsored by Leo, who has left the company (inactive);
    * Nordlicht AG: Leo too, and nobody left speaks German.
    """
    dana, vp = company["cfo"], ExecutiveFactory(
        user__username="vic", user__first_name="Vic", user__last_name="Moreau", level=ExecutiveLevel.SVP,
        function=ExecutiveFunction.SALES, industries=["Retail"], regions=["Europe"], capacity_min=0, capacity_max=3,
    )  # fmt: skip
    leo = ExecutiveFactory(user__username="leo", user__first_name="Leo", user__last_name="Gone", is_active=False)
    granite = AccountFactory(name="Granite Trust", time_zone="America/New_York")
    helios = AccountFactory(name="Helios Savings", time_zone="America/New_York")
    ContactFactory(account=granite, title="Chief Financial Officer", seniority="c_level")
    live = {
        "bank_dana": SponsorshipFactory(account=company["bank"], executive=dana),
        "bank_vic": SponsorshipFactory(account=company["bank"], executive=vp),
        "granite": SponsorshipFactory(account=granite, executive=dana),
        "helios": SponsorshipFactory(account=helios, executive=dana),
        "sakura": SponsorshipFactory(account=company["sakura"], executive=leo),
        "nord": SponsorshipFactory(account=company["nord"], executive=leo),
    }
    return {**company, "vp": vp, "leo": leo, "live": live}


def decisions_of(run) -> dict[tuple[str, str], dict]:
    return {(d["account_name"], d["executive_name"]): d for d in run.result["sponsorships"]}


def live_loads() -> Counter:
    return Counter(Sponsorship.objects.live().values_list("executive_id", flat=True))


def assert_live_state_is_the_run(run):
    """Every executive's live load is the run's table, and the live pairs are the run's pairs."""
    table = {row["executive_id"]: row["load"] for row in run.result["executives"]}
    loads = live_loads()
    assert {e: loads.get(e, 0) for e in table} == table
    assert sum(loads.values()) == len(run.result["pairs"])  # nobody outside the table keeps anything
    assert set(Sponsorship.objects.live().values_list("account_id", "executive_id")) == {
        (p["account_id"], p["executive_id"]) for p in run.result["pairs"]
    }
    for row in run.result["executives"]:
        assert row["load"] <= row["capacity_max"]


def test_the_run_decides_about_every_live_sponsorship_with_a_reason(running):
    run = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
    decided = decisions_of(run)
    assert len(decided) == len(running["live"])
    assert decided[("Blue Harbor Bank", "Dana Whitfield")]["change"] == "keep"
    assert decided[("Blue Harbor Bank", "Vic Moreau")]["change"] == "end"
    assert "an account has one sponsor" in decided[("Blue Harbor Bank", "Vic Moreau")]["reason"]
    sakura = decided[("Sakura Denki K.K.", "Leo Gone")]
    assert sakura["change"] == "reassign" and sakura["to_executive_name"] == "Kenji Watanabe"
    assert "not available" in sakura["reason"]
    nord = decided[("Nordlicht AG", "Leo Gone")]
    assert nord["change"] == "end" and "speaks German" in nord["reason"]
    assert decided[("Granite Trust", "Dana Whitfield")]["change"] == "keep"
    helios = decided[("Helios Savings", "Dana Whitfield")]
    assert helios["change"] == "reassign"
    assert helios["reason"] == "Dana Whitfield sponsors 3 accounts today against a capacity of 2"
    assert {k: run.changes[k] for k in ("keep", "reassign", "end", "add")} == {
        "keep": 2,
        "reassign": 2,
        "end": 2,
        "add": 0,
    }
    # Nothing written yet.
    assert Sponsorship.objects.live().count() == 6


def test_approval_through_the_service_makes_live_exactly_the_run(running):
    run = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
    matching_services.matching_run_approve(run=run, by=running["owner"])
    assert_live_state_is_the_run(run)
    sakura = Sponsorship.objects.live().get(account=running["sakura"])
    assert sakura.executive == running["cto"] and sakura.status == SponsorshipStatus.APPROVED
    assert sakura.introducer == running["ceo"].user  # set the same way as every new sponsor
    old = Sponsorship.objects.get(pk=running["live"]["sakura"].pk)
    assert old.status == SponsorshipStatus.ENDED and old.end_reason.startswith(f"Matching run #{run.pk}:")
    assert Sponsorship.objects.get(pk=running["live"]["bank_dana"].pk).status == SponsorshipStatus.ACTIVE
    assert old.history.first().history_user == running["owner"]


def test_approval_through_the_page_confirms_first_then_applies(running):
    client = client_for(running["owner"])
    client.post("/program/matching/runs/", {"label": "spring"})
    run = MatchingRun.objects.get()
    page = client.get(f"/program/matching/runs/{run.pk}/").content.decode()
    assert f"/program/matching/runs/{run.pk}/approve/" in page
    confirm = client.get(f"/program/matching/runs/{run.pk}/approve/").content.decode()
    assert "2 kept" in confirm and "2 reassigned" in confirm and "2 ended" in confirm
    assert "Sakura Denki K.K.: Leo Gone → Kenji Watanabe" in confirm
    assert "Nordlicht AG: Leo Gone" in confirm and "Blue Harbor Bank: Vic Moreau" in confirm
    assert Sponsorship.objects.live().count() == 6  # the confirmation page writes nothing
    done = client.post(f"/program/matching/runs/{run.pk}/approve/", follow=True).content.decode()
    assert "Approved:" in done
    assert_live_state_is_the_run(run)


def test_a_run_whose_inputs_changed_is_stale_and_cannot_be_approved(running):
    run = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
    running["cto"].capacity_max = 4
    running["cto"].save()
    with pytest.raises(InvalidInput, match="Run it again"):
        matching_services.matching_run_approve(run=run, by=running["owner"])
    page = client_for(running["owner"]).get(f"/program/matching/runs/{run.pk}/").content.decode()
    assert "This run is out of date" in page and "Run it again" in page
    assert f"/program/matching/runs/{run.pk}/approve/" not in page


def test_a_run_made_before_another_approval_is_stale(running):
    first = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
    second = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
    assert not matching_services.run_is_stale(second)
    matching_services.matching_run_approve(run=first, by=running["owner"])
    assert matching_services.run_is_stale(second)
    response = client_for(running["owner"]).post(f"/program/matching/runs/{second.pk}/approve/", follow=True)
    assert "Run it again" in response.content.decode()


def test_a_live_sponsorship_breaking_a_later_rule_is_kept_and_enforcing_shows_what_it_would_do(running):
    # Dana (New York) has sponsored Sakura Denki (Tokyo, Japanese required) since before the rules.
    running["live"]["sakura"].delete()
    SponsorshipFactory(account=running["sakura"], executive=running["cfo"])
    running["live"]["helios"].delete()
    running["cto"].capacity_min = 0  # Kenji needs no account to reach a minimum: only the rule is at stake
    running["cto"].save()
    running["cfo"].capacity_max = 3
    running["cfo"].save()
    run = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
    kept = decisions_of(run)[("Sakura Denki K.K.", "Dana Whitfield")]
    assert kept["change"] == "keep" and "introduced since it began" in kept["reason"]
    pair = next(p for p in run.result["pairs"] if p["account_name"] == "Sakura Denki K.K.")
    assert set(pair["grandfathered"]) == {
        "speaks Japanese where the customer requires it",
        "within 8 hours of the customer",
    }
    texts = [item["text"] for item in run.result["enforcing"]]
    assert "enforcing speaks Japanese where the customer requires it would reassign or end 1 sponsorship" in texts
    client = client_for(running["owner"])
    workbench = client.get("/program/matching/").content.decode()
    assert "Enforcing speaks Japanese where the customer requires it would reassign or end 1 sponsorship" in workbench
    enforced = client.post(f"/program/matching/runs/{run.pk}/what-if/", {"action": "enforce"}, follow=True)
    assert "enforcing the hard rules on live sponsorships" in enforced.content.decode()
    second = MatchingRun.objects.exclude(pk=run.pk).get()
    moved = decisions_of(second)[("Sakura Denki K.K.", "Dana Whitfield")]
    assert moved["change"] == "reassign" and moved["to_executive_name"] == "Kenji Watanabe"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=10),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=4, max_size=4),
)
def test_after_approval_every_live_load_equals_the_runs_table(running, live_pairs, capacities):
    """Any mix of live sponsorships and capacities: approval leaves exactly the run's loads."""
    with transaction.atomic():
        executives = [running["ceo"], running["cfo"], running["cto"], running["vp"]]
        for executive, (low, extra) in zip(executives, capacities, strict=True):
            executive.capacity_min, executive.capacity_max = low, low + extra
            executive.save()
        Sponsorship.objects.all().delete()
        accounts = [running["bank"], running["sakura"], running["nord"], *AccountFactory.create_batch(3)]
        for account_index, executive_index in dict.fromkeys(live_pairs):
            executive = [*executives, running["leo"]][executive_index % 5]
            if not Sponsorship.objects.filter(account=accounts[account_index], executive=executive).exists():
                SponsorshipFactory(account=accounts[account_index], executive=executive)
        run = matching_services.matching_run_create(by=running["owner"], options=MatchingOptions())
        assert run.solver_status == "optimal"
        matching_services.matching_run_approve(run=run, by=running["owner"])
        assert_live_state_is_the_run(run)
        transaction.set_rollback(True)
