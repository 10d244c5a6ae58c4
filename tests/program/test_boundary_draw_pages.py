"""Randomised entry at the shortlist boundary: the setting, the selection page, and the cohort recorded when a
matching run that used the draw is approved."""

import pytest

from execsponsor.program.matching import selectors as matching_selectors
from execsponsor.program.matching import services as matching_services
from execsponsor.program.matching.inputs import MatchingOptions, selection_settings
from execsponsor.program.models import MatchingRun, RandomisedCohort, SelectionRun, Sponsorship
from execsponsor.users.models import Role
from tests.conftest import client_for
from tests.factories import AccountFactory, ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "segments": ["enterprise"],
    "exclude_in_churn": "on",
    "weight_strategic_value": "100",
    "weight_revenue": "0",
    "weight_retention_risk": "0",
    "weight_growth_potential": "0",
    "weight_health_need": "0",
    "weight_c_level_access": "0",
}


@pytest.fixture
def tied(db):
    """One executive with room for 3; a clear leader, four accounts tied at 60 and one far behind."""
    owner = UserFactory(username="olivia.owner", role=Role.PROGRAM_OWNER)
    ExecutiveFactory(user__username="sam", capacity_min=0, capacity_max=3)
    leader = AccountFactory(name="Alpha Bank", strategic_value=95)
    band = [AccountFactory(name=f"Tied Bank {i}", strategic_value=60) for i in range(1, 5)]
    AccountFactory(name="Zeta Bank", strategic_value=10)
    return {"owner": owner, "leader": leader, "band": band}


def save(client, **extra):
    return client.post("/program/selection/", {**FORM, "version": selection_settings().version, "save": "1", **extra})


def test_turning_it_on_without_a_seed_draws_one_and_keeps_it(tied):
    client = client_for(tied["owner"])
    save(client, randomise_boundary="on", tie_tolerance="1.5")
    settings = selection_settings()
    assert settings.randomise_boundary and settings.tie_tolerance == 1.5
    assert isinstance(settings.draw_seed, int)


def test_the_page_shows_the_band_the_seed_and_why_and_the_same_draw_each_time(tied):
    client = client_for(tied["owner"])
    save(client, randomise_boundary="on", draw_seed="2026")
    page = client.get("/program/selection/").content.decode()
    assert "The boundary draw" in page and "<code>2026</code>" in page
    assert "4 accounts score within 2 points of the cut-off score 60.00" in page
    assert "gave 2 of them" in page
    assert page.count("drawn in</span>") == 2 and page.count("drawn out</span>") == 2
    assert "randomised experiment" in page
    again = client.get("/program/selection/").context["draw"]
    assert again == client.get("/program/selection/").context["draw"]
    assert again.seed == 2026 and len(again.drawn_in) == 2


def test_the_preview_draws_a_seed_and_saving_the_preview_keeps_that_draw(tied):
    client = client_for(tied["owner"])
    preview = client.post("/program/selection/", {**FORM, "version": "0", "randomise_boundary": "on", "preview": "1"})
    seed = preview.context["form"]["draw_seed"].value()
    drawn = {m.account for m in preview.context["draw"].band if m.drawn_in}
    save(client, randomise_boundary="on", draw_seed=seed)
    shown = client.get("/program/selection/").context["draw"]
    assert {m.account for m in shown.band if m.drawn_in} == drawn


def test_with_the_option_off_there_is_no_draw_and_ties_go_by_name(tied):
    page = client_for(tied["owner"]).get("/program/selection/")
    assert "The boundary draw" not in page.content.decode()
    ranking = matching_selectors.rank_accounts(user=tied["owner"])
    assert ranking.draw is None
    assert list(ranking.shortlist) == [str(tied["leader"].pk), str(tied["band"][0].pk), str(tied["band"][1].pk)]


def test_no_near_tie_says_so_in_words(tied):
    for i, account in enumerate(tied["band"]):
        account.strategic_value = 80 - 10 * i
        account.save()
    client = client_for(tied["owner"])
    save(client, randomise_boundary="on", draw_seed="5")
    page = client.get("/program/selection/").content.decode()
    assert "No near-tie at the boundary today" in page


@pytest.mark.parametrize("field, value", [("tie_tolerance", "-1"), ("tie_tolerance", "50"), ("draw_seed", "-3")])
def test_bad_tolerances_and_seeds_are_form_errors(tied, field, value):
    response = save(client_for(tied["owner"]), randomise_boundary="on", **{field: value})
    assert response.status_code == 422
    assert selection_settings().version == 0


def test_only_program_owners_and_admins_see_the_selection_page(cast):
    for name in ("ae", "csm", "sponsor", "viewer", "outsider_ae"):
        assert client_for(cast.user(name)).get("/program/selection/").status_code == 403
    for name in ("owner", "admin"):
        assert client_for(cast.user(name)).get("/program/selection/").status_code == 200


def test_approving_a_run_that_used_the_draw_records_the_cohort(tied):
    owner = tied["owner"]
    save(client_for(owner), randomise_boundary="on", draw_seed="77")
    ranking = matching_selectors.rank_accounts(user=owner)
    run = matching_services.matching_run_create(by=owner, options=MatchingOptions())
    assert run.result["selection_draw"]["seed"] == 77
    assert not RandomisedCohort.objects.exists()  # nothing before approval
    matching_services.matching_run_approve(run=run, by=owner)
    cohort = RandomisedCohort.objects.get()
    band_ids = sorted(a.pk for a in tied["band"])
    assert sorted(cohort.drawn_in + cohort.drawn_out) == band_ids
    assert sorted(cohort.drawn_in) == sorted(int(a) for a in ranking.draw.drawn_in)
    assert (cohort.seed, cohort.tolerance, cohort.cut_off_score, cohort.slots) == (77, 2.0, 60.0, 2)
    assert [m["score"] for m in cohort.band] == [60.0] * 4
    assert cohort.matching_run == run and cohort.created_by == owner
    assert cohort.selection_run.result["draw"]["seed"] == 77
    sponsored = set(Sponsorship.objects.values_list("account_id", flat=True))
    assert sponsored == {tied["leader"].pk, *cohort.drawn_in}
    page = client_for(owner).get("/program/selection/").content.decode()
    assert page.count("Randomised cohorts recorded") == 1  # in the page, not also in its <title>
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Account selection" in title


def test_a_run_without_a_draw_records_no_cohort(tied):
    owner = tied["owner"]
    run = matching_services.matching_run_create(by=owner, options=MatchingOptions())
    assert run.result["selection_draw"] is None
    matching_services.matching_run_approve(run=run, by=owner)
    assert not RandomisedCohort.objects.exists() and not SelectionRun.objects.exists()
    assert MatchingRun.objects.get().status == "approved"


def test_the_api_and_esp_select_show_the_draw(tied):
    from typer.testing import CliRunner

    from execsponsor.cli import app

    owner = tied["owner"]
    save(client_for(owner), randomise_boundary="on", draw_seed="9")
    document = client_for(owner).get("/api/v1/selection").json()
    assert document["draw"]["seed"] == 9
    assert sorted(m["account_id"] for m in document["draw"]["band"]) == sorted(a.pk for a in tied["band"])
    assert sum(m["drawn_in"] for m in document["draw"]["band"]) == 2
    shortlisted = {row["account_id"] for row in document["accounts"] if row["shortlisted"]}
    assert shortlisted == {tied["leader"].pk} | {m["account_id"] for m in document["draw"]["band"] if m["drawn_in"]}
    printed = CliRunner().invoke(app, ["select", "--user", owner.username]).stdout
    assert "Boundary draw (seed 9): 4 accounts within 2 points of the cut-off 60.00" in printed


def test_without_the_option_the_api_has_no_draw(tied):
    assert client_for(tied["owner"]).get("/api/v1/selection").json()["draw"] is None
