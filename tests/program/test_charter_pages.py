"""The role charters page and the sponsorship charter page through Django's test client."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from execsponsor.program.charters import ROLE_CHARTERS
from execsponsor.program.models import (
    ALIGNMENT_ITEMS,
    AlignmentChecklist,
    Objective,
    RoleCharter,
    Sponsorship,
    SponsorshipStatus,
    SupportingExecutive,
)
from execsponsor.users.models import ExecutiveFunction, Role
from tests.conftest import client_for
from tests.factories import ExecutiveFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def url(sponsorship, tail: str = "") -> str:
    return f"/program/sponsorships/{sponsorship.pk}/{tail}"


def version_of(sponsorship) -> int:
    return Sponsorship.objects.get(pk=sponsorship.pk).version


# Role charters


def test_everyone_signed_in_reads_the_role_charters_seeded_with_the_built_in_text(cast):
    assert not RoleCharter.objects.exists()
    response = client_for(cast.csm).get("/program/charters/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Never replaces the AE and does not sell" in text
    assert RoleCharter.objects.count() == 4
    assert 'class="charter-edit"' not in text  # reading only: no edit form for the CSM


def test_the_program_owner_edits_a_role_charter_and_the_change_is_kept(cast):
    client = client_for(cast.owner)
    client.get("/program/charters/")
    response = client.post(
        "/program/charters/csm/",
        {"csm-responsibilities": "Owns adoption, outcomes and renewals.", "csm-does_not": "", "csm-version": 1},
    )
    assert response.status_code == 302
    charter = RoleCharter.objects.get(role=Role.CSM)
    assert (charter.responsibilities, charter.version, charter.updated_by) == (
        "Owns adoption, outcomes and renewals.",
        2,
        cast.owner,
    )
    assert charter.history.latest().history_user == cast.owner
    page = client.get("/program/charters/").content.decode()
    assert "Last changed by" in page and "History (1 change)" in page  # the built-in text's creation is not one


def test_a_stale_role_charter_edit_is_a_409_and_keeps_the_other_change(cast):
    client = client_for(cast.owner)
    client.get("/program/charters/")
    first = client.post("/program/charters/csm/", {"csm-responsibilities": "First", "csm-version": 1})
    second = client.post("/program/charters/csm/", {"csm-responsibilities": "Second", "csm-version": 1})
    assert (first.status_code, second.status_code) == (302, 409)
    assert "Concurrent edits detected" in second.content.decode()
    assert RoleCharter.objects.get(role=Role.CSM).responsibilities == "First"


@pytest.mark.parametrize("who", ["ae", "csm", "viewer", "sponsor"])
def test_only_the_program_owner_and_admin_edit_role_charters(cast, who):
    response = client_for(cast.user(who)).post(
        "/program/charters/csm/", {"csm-responsibilities": "x", "csm-version": 1}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [{"csm-responsibilities": "", "csm-version": 1}, {"csm-responsibilities": "x", "csm-version": "abc"}, {}],
)
def test_bad_role_charter_input_is_a_422_not_a_500(cast, body):
    response = client_for(cast.admin).post("/program/charters/csm/", body)
    assert response.status_code == 422


def test_an_unknown_role_is_a_404(cast):
    assert client_for(cast.owner).post("/program/charters/pirate/", {}).status_code == 404


def test_the_built_in_text_is_not_overwritten_once_edited(cast):
    client = client_for(cast.owner)
    client.get("/program/charters/")
    client.post("/program/charters/executive/", {"executive-responsibilities": "Ours now", "executive-version": 1})
    client.get("/program/charters/")
    assert RoleCharter.objects.get(role=Role.EXECUTIVE).responsibilities == "Ours now"
    assert RoleCharter.objects.get(role=Role.CSM).responsibilities == ROLE_CHARTERS[Role.CSM][0]


# The sponsorship charter page: who sees and who changes


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("owner", 200),
        ("viewer", 200),
        ("sponsor", 200),
        ("ae", 200),
        ("csm", 200),
        ("outsider_ae", 404),
    ],
)
def test_who_sees_the_charter_page(cast, team_sponsorship, who, status):
    assert client_for(cast.user(who)).get(url(team_sponsorship)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 302), ("sponsor", 302), ("ae", 302), ("csm", 302), ("viewer", 403), ("outsider_ae", 404)],
)
def test_who_edits_the_charter_text(cast, team_sponsorship, who, status):
    response = client_for(cast.user(who)).post(
        url(team_sponsorship, "charter/"),
        {"charter_expectations": "Quarterly strategy sessions", "version": version_of(team_sponsorship)},
    )
    assert response.status_code == status
    changed = Sponsorship.objects.get(pk=team_sponsorship.pk).charter_expectations == "Quarterly strategy sessions"
    assert changed == (status == 302)


def test_the_viewer_sees_no_edit_buttons(cast, team_sponsorship):
    text = client_for(cast.viewer).get(url(team_sponsorship)).content.decode()
    assert "Edit the charter" not in text and "Add an objective" not in text and "Save my ticks" not in text
    assert "Your role is read-only" in text


def test_a_stale_charter_edit_is_a_409(cast, team_sponsorship):
    read = version_of(team_sponsorship)
    client_for(cast.sponsor).post(url(team_sponsorship, "charter/"), {"customer_commitment": "A", "version": read})
    response = client_for(cast.ae).post(
        url(team_sponsorship, "charter/"), {"customer_commitment": "B", "version": read}
    )
    assert response.status_code == 409
    assert Sponsorship.objects.get(pk=team_sponsorship.pk).customer_commitment == "A"


@pytest.mark.parametrize(
    "body", [{}, {"version": "x"}, {"version": "1", "charter_objectives": "x" * 20_001}, {"version": "-4"}]
)
def test_bad_charter_input_is_a_4xx_not_a_500(cast, team_sponsorship, body):
    assert client_for(cast.ae).post(url(team_sponsorship, "charter/"), body).status_code in (409, 422)


# Objectives


def test_the_ae_adds_an_objective_and_the_sponsor_changes_its_status_inline(cast, team_sponsorship):
    response = client_for(cast.ae).post(
        url(team_sponsorship, "objectives/"),
        {
            "new-title": "Instant payments live in two regions",
            "new-measure": "Regions live",
            "new-target_value": "2",
            "new-owner": cast.sponsor.pk,
            "new-target_date": "2027-06-30",
            "new-status": "not_started",
        },
    )
    assert response.status_code == 302
    objective = Objective.objects.get(sponsorship=team_sponsorship)
    assert (objective.title, objective.owner, objective.target_date) == (
        "Instant payments live in two regions",
        cast.sponsor,
        dt.date(2027, 6, 30),
    )
    assert objective.account_id == team_sponsorship.account_id
    client_for(cast.sponsor).post(url(team_sponsorship, f"objectives/{objective.pk}/"), {"status": "on_track"})
    objective.refresh_from_db()
    assert objective.status == "on_track" and objective.status_changed_on == timezone.localdate()
    assert objective.history.latest().history_user == cast.sponsor


def test_an_objective_is_edited_in_full(cast, team_sponsorship):
    objective = Objective.objects.create(account=team_sponsorship.account, sponsorship=team_sponsorship, title="Old")
    prefix = f"o{objective.pk}"
    response = client_for(cast.csm).post(
        url(team_sponsorship, f"objectives/{objective.pk}/"),
        {f"{prefix}-title": "New", f"{prefix}-status": "at_risk", f"{prefix}-current_value": "1"},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.title, objective.status, objective.current_value) == ("New", "at_risk", "1")


@pytest.mark.parametrize(
    "body",
    [
        {"new-title": "", "new-status": "on_track"},
        {"new-title": "x", "new-status": "done"},
        {"new-title": "x", "new-status": "on_track", "new-target_date": "31/31/2027"},
        {"new-title": "x", "new-status": "on_track", "new-owner": "999999"},
        {"new-title": "x", "new-status": "on_track", "new-owner": "abc"},
    ],
)
def test_bad_objective_input_is_a_422_with_the_page(cast, team_sponsorship, body):
    response = client_for(cast.ae).post(url(team_sponsorship, "objectives/"), body)
    assert response.status_code == 422
    assert not Objective.objects.exists()


def test_a_bad_status_and_another_sponsorships_objective_are_refused(cast, team_sponsorship):
    objective = Objective.objects.create(account=team_sponsorship.account, sponsorship=team_sponsorship, title="Mine")
    client = client_for(cast.ae)
    assert client.post(url(team_sponsorship, f"objectives/{objective.pk}/"), {"status": "nope"}).status_code == 422
    assert client.post(url(team_sponsorship, "objectives/987654/"), {"status": "on_track"}).status_code == 404


def test_the_viewer_cannot_add_an_objective(cast, team_sponsorship):
    response = client_for(cast.viewer).post(
        url(team_sponsorship, "objectives/"), {"new-title": "x", "new-status": "on_track"}
    )
    assert response.status_code == 403


# The alignment checklist and the lifecycle through the page


def _notes(sponsorship, by):
    version = AlignmentChecklist.objects.filter(sponsorship=sponsorship).values_list("version", flat=True).first() or 1
    return client_for(by).post(
        url(sponsorship, "alignment/notes/"),
        {
            "account_strategy": "Treasury next",
            "ae_promises": "Nothing promised",
            "open_opportunities": "Treasury module",
            "customer_challenges": "Core migration",
            "version": version,
        },
    )


def _tick(sponsorship, by, side, items=tuple(ALIGNMENT_ITEMS)):
    version = AlignmentChecklist.objects.get(sponsorship=sponsorship).notes_version
    return client_for(by).post(
        url(sponsorship, "alignment/tick/"), {"side": side, "ticked": list(items), "version": version}
    )


def test_the_page_says_why_activation_waits_and_the_sponsor_cannot_tick_the_ae_side(cast, team_sponsorship):
    OpportunityFactory(account=team_sponsorship.account, name="Treasury module")
    Sponsorship.objects.filter(pk=team_sponsorship.pk).update(
        status=SponsorshipStatus.INTRODUCED, introduced_on=timezone.localdate()
    )
    text = client_for(cast.sponsor).get(url(team_sponsorship)).content.decode()
    assert "alignment checklist is not complete: the AE and the sponsor have not ticked" in text
    assert "Treasury module" in text
    assert _notes(team_sponsorship, cast.ae).status_code == 302
    assert _tick(team_sponsorship, cast.sponsor, "ae").status_code == 403
    assert _tick(team_sponsorship, cast.csm, "ae").status_code == 403  # the account has an AE: it is theirs


def test_the_ae_cannot_complete_their_side_without_the_write_up(cast, team_sponsorship):
    client_for(cast.ae).get(url(team_sponsorship))
    AlignmentChecklist.objects.create(sponsorship=team_sponsorship)
    response = _tick(team_sponsorship, cast.ae, "ae")
    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert "Write up account strategy, what the ae has promised the customer, open opportunities" in text
    assert "before completing your side" in text


def test_both_sides_tick_then_the_sponsorship_is_introduced_and_activated(cast, team_sponsorship):
    _notes(team_sponsorship, cast.ae)
    assert _tick(team_sponsorship, cast.ae, "ae").status_code == 302
    assert _tick(team_sponsorship, cast.sponsor, "sponsor").status_code == 302
    alignment = AlignmentChecklist.objects.get(sponsorship=team_sponsorship)
    assert (alignment.ae_by, alignment.sponsor_by) == (cast.ae, cast.sponsor)
    assert alignment.ae_completed_at and alignment.sponsor_completed_at
    client = client_for(cast.ae)
    today = timezone.localdate().isoformat()
    introduce = {"step": "introduce", "version": version_of(team_sponsorship), "introduced_on": today}
    assert client.post(url(team_sponsorship, "transition/"), introduce).status_code == 302
    activate = {"step": "activate", "version": version_of(team_sponsorship)}
    assert client.post(url(team_sponsorship, "transition/"), activate).status_code == 302
    assert Sponsorship.objects.get(pk=team_sponsorship.pk).status == SponsorshipStatus.ACTIVE


def test_a_changed_write_up_reopens_the_sponsors_side(cast, team_sponsorship):
    _notes(team_sponsorship, cast.ae)
    _tick(team_sponsorship, cast.ae, "ae")
    _tick(team_sponsorship, cast.sponsor, "sponsor")
    version = AlignmentChecklist.objects.get(sponsorship=team_sponsorship).version
    client_for(cast.ae).post(
        url(team_sponsorship, "alignment/notes/"),
        {
            "account_strategy": "Treasury next",
            "ae_promises": "A discount on renewal",
            "open_opportunities": "Treasury module",
            "customer_challenges": "Core migration",
            "version": version,
        },
    )
    alignment = AlignmentChecklist.objects.get(sponsorship=team_sponsorship)
    assert alignment.ae_complete and not alignment.sponsor_complete


def test_activation_refused_on_the_page_with_the_reason(cast, team_sponsorship):
    Sponsorship.objects.filter(pk=team_sponsorship.pk).update(status=SponsorshipStatus.INTRODUCED)
    response = client_for(cast.owner).post(
        url(team_sponsorship, "transition/"), {"step": "activate", "version": version_of(team_sponsorship)}
    )
    assert response.status_code == 422
    assert "alignment checklist is not complete" in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"step": "explode", "version": 1},
        {"step": "introduce", "version": "x"},
        {"step": "introduce", "version": 1, "introduced_on": "yesterday"},
        {"step": "end", "version": 1, "reason": "r" * 300},
        {"step": "end", "version": 1},
    ],
)
def test_bad_transition_input_is_a_4xx_not_a_500(cast, team_sponsorship, body):
    assert client_for(cast.owner).post(url(team_sponsorship, "transition/"), body).status_code in (409, 422)
    assert Sponsorship.objects.get(pk=team_sponsorship.pk).status == SponsorshipStatus.APPROVED


def test_the_viewer_and_the_outsider_cannot_move_it(cast, team_sponsorship):
    body = {"step": "end", "version": version_of(team_sponsorship), "reason": "x"}
    assert client_for(cast.viewer).post(url(team_sponsorship, "transition/"), body).status_code == 403
    assert client_for(cast.outsider_ae).post(url(team_sponsorship, "transition/"), body).status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"side": "both", "version": 1}, {"side": "ae", "version": 1, "ticked": ["bribe"]}, {"side": "ae"}]
)
def test_bad_tick_input_is_a_4xx_not_a_500(cast, team_sponsorship, body):
    _notes(team_sponsorship, cast.ae)
    assert client_for(cast.ae).post(url(team_sponsorship, "alignment/tick/"), body).status_code in (409, 422)


# Supporting executives


def test_a_supporting_executive_is_added_and_ended_and_listed_on_the_account_page(cast, team_sponsorship):
    cto = ExecutiveFactory(user__username="kenji.cto", user__first_name="Kenji", user__last_name="Watanabe")
    response = client_for(cast.sponsor).post(
        url(team_sponsorship, "supporting/"), {"executive": cto.pk, "reason": "Technical escalation on the core"}
    )
    assert response.status_code == 302
    supporting = SupportingExecutive.objects.get(sponsorship=team_sponsorship)
    assert (supporting.reason, supporting.added_by) == ("Technical escalation on the core", cast.sponsor)
    account_page = client_for(cast.ae).get(f"/accounts/{team_sponsorship.account_id}/").content.decode()
    assert "Kenji Watanabe" in account_page and "Technical escalation on the core" in account_page
    assert client_for(cto.user).get(f"/accounts/{team_sponsorship.account_id}/").status_code == 200
    assert Sponsorship.objects.get(pk=team_sponsorship.pk).executive_id != cto.pk

    assert client_for(cast.ae).post(url(team_sponsorship, f"supporting/{supporting.pk}/end/")).status_code == 302
    supporting.refresh_from_db()
    assert supporting.until == timezone.localdate()
    assert client_for(cto.user).get(f"/accounts/{team_sponsorship.account_id}/").status_code == 404
    again = client_for(cast.ae).post(url(team_sponsorship, "supporting/"), {"executive": cto.pk, "reason": "Again"})
    assert again.status_code == 302
    assert SupportingExecutive.objects.filter(sponsorship=team_sponsorship).count() == 2


def test_the_sponsor_cannot_support_their_own_sponsorship_and_a_reason_is_needed(cast, team_sponsorship):
    client = client_for(cast.owner)
    own = client.post(url(team_sponsorship, "supporting/"), {"executive": team_sponsorship.executive_id, "reason": "x"})
    assert own.status_code == 422
    cfo = ExecutiveFactory(user__username="dana.cfo", function=ExecutiveFunction.CFO)
    assert client.post(url(team_sponsorship, "supporting/"), {"executive": cfo.pk, "reason": " "}).status_code == 422
    assert client.post(url(team_sponsorship, "supporting/"), {"executive": "x"}).status_code == 422
    assert not SupportingExecutive.objects.exists()


def test_the_account_and_executive_pages_link_to_the_charter(cast, team_sponsorship):
    link = url(team_sponsorship)
    assert link in client_for(cast.ae).get(f"/accounts/{team_sponsorship.account_id}/").content.decode()
    executive_page = client_for(cast.owner).get(f"/executives/{team_sponsorship.executive_id}/").content.decode()
    assert link in executive_page
    assert "/program/charters/" in client_for(cast.owner).get("/program/").content.decode()


def test_the_charter_page_reads_a_fixed_number_of_queries_whatever_the_objectives_and_supporters(
    cast, team_sponsorship
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(team_sponsorship)).status_code == 200
        return len(captured)

    def add(n: int):
        for i in range(n):
            Objective.objects.create(
                account=team_sponsorship.account, sponsorship=team_sponsorship, title=f"Goal {i}", owner=cast.ae
            )
            SupportingExecutive.objects.create(
                sponsorship=team_sponsorship, executive=ExecutiveFactory(), reason=f"Problem {i}"
            )

    add(1)
    few = queries()
    add(5)
    assert queries() == few


def test_the_owner_home_and_the_program_page_count_what_waits_for_alignment(cast, team_sponsorship):
    """Blue Harbor is approved with no checklist and no objectives: one waiting, one without objectives."""
    home = client_for(cast.owner).get("/").content.decode()
    assert "1 sponsorship waiting for the AE–sponsor alignment" in home
    assert url(team_sponsorship) in home
    program = html.unescape(client_for(cast.owner).get("/program/").content.decode())
    assert "1</span> live sponsorship without objectives" in program
    assert "1</span> waiting for the AE–sponsor alignment" in program
