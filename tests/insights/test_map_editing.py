"""Editing the relationship map in place: attributes with history, reports-to kept a tree inside the account,
"replaced by" for who left, relationship levels per pair of our person and their contact, and who may."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from execsponsor.common.errors import InvalidInput
from execsponsor.customers.models import Contact, ContactStatus, RelationshipLevel
from execsponsor.customers.services import contact_update
from execsponsor.engagements.models import Engagement, EngagementAttendee, EngagementContact
from execsponsor.users.models import ApiToken
from tests.conftest import client_for
from tests.factories import ContactFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def team(cast):
    """Cobalt Health (the AE's account): Ana, the CEO; Ben reports to her; Cy reports to Ben."""
    account = cast.owned_account
    ana = ContactFactory(account=account, first_name="Ana", last_name="Alves", title="CEO")
    ben = ContactFactory(account=account, first_name="Ben", last_name="Brook", reports_to=ana)
    cy = ContactFactory(account=account, first_name="Cy", last_name="Cole", reports_to=ben)
    return account, ana, ben, cy


def edit_url(contact):
    return f"/accounts/{contact.account_id}/relationships/contacts/{contact.pk}/edit/"


def level_url(contact):
    return f"/accounts/{contact.account_id}/relationships/contacts/{contact.pk}/levels/"


def form_data(contact, **changes):
    contact.refresh_from_db()
    data = {
        "seniority": contact.seniority,
        "persona": contact.persona,
        "buying_role": contact.buying_role,
        "support": contact.support,
        "influence": contact.influence,
        "decision_orientation": contact.decision_orientation,
        "reports_to": contact.reports_to_id or "",
        "status": contact.status,
        "replaced_by": contact.replaced_by_id or "",
        "version": contact.updated_at.isoformat(),
    }
    data.update(changes)
    return data


def test_the_ae_changes_support_on_the_map_and_it_is_in_the_history(cast, team):
    _, _, ben, _ = team
    answer = client_for(cast.ae).post(edit_url(ben), form_data(ben, support="mentor"), **HTMX)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert f'id="person-{ben.pk}"' in page and "Mentor" in page
    assert 'id="map-overview" hx-swap-oob="true"' in page  # the chart and the cards follow the edit
    assert f"{cast.ae}: Support: Neutral → Mentor" in page
    ben.refresh_from_db()
    assert ben.support == "mentor"
    assert ben.history.first().history_user == cast.ae


def test_the_chart_colours_a_contact_by_their_new_support(cast, team):
    account, _, ben, _ = team
    client = client_for(cast.ae)
    client.post(edit_url(ben), form_data(ben, support="opponent", buying_role="blocker", influence="high"), **HTMX)
    page = client.get(f"/accounts/{account.pk}/relationships/").content.decode()
    chart = json.loads(page.split('<script id="org-data" type="application/json">')[1].split("</script>")[0])
    (ana_node,) = chart["children"]
    (ben_node,) = ana_node["children"]
    assert (ben_node["name"], ben_node["support"], ben_node["buying_role"]) == ("Ben Brook", "Opponent", "Blocker")
    assert ben_node["itemStyle"]["color"] == "#dc2626" and ben_node["symbolSize"] == 30


def test_a_reports_to_that_would_make_a_loop_is_refused(cast, team):
    _, ana, _, cy = team
    answer = client_for(cast.ae).post(edit_url(ana), form_data(ana, reports_to=cy.pk), **HTMX)
    assert answer.status_code == 422
    assert "loop" in answer.content.decode() and "Alves → Cole → Brook → Alves" in answer.content.decode()
    ana.refresh_from_db()
    assert ana.reports_to is None


def test_reporting_to_oneself_or_a_direct_report_is_refused_by_the_service(cast, team):
    _, _, ben, cy = team
    with pytest.raises(InvalidInput, match="loop"):
        contact_update(contact=ben, by=cast.ae, changes={"reports_to_id": cy.pk})
    with pytest.raises(InvalidInput, match="themselves"):
        contact_update(contact=ben, by=cast.ae, changes={"reports_to_id": ben.pk})


def test_moving_someone_under_another_branch_is_fine(cast, team):
    account, ana, ben, cy = team
    dana = ContactFactory(account=account, first_name="Dana", last_name="Diaz", reports_to=ana)
    answer = client_for(cast.ae).post(edit_url(cy), form_data(cy, reports_to=dana.pk), **HTMX)
    assert answer.status_code == 200
    assert Contact.objects.get(pk=cy.pk).reports_to == dana


def test_a_manager_from_another_account_is_refused(cast, team):
    _, _, ben, _ = team
    stranger = ContactFactory(account=cast.other_account, first_name="Eve", last_name="Elsewhere")
    answer = client_for(cast.ae).post(edit_url(ben), form_data(ben, reports_to=stranger.pk), **HTMX)
    assert answer.status_code == 422
    with pytest.raises(InvalidInput, match="is not a contact of Cobalt Health Systems"):
        contact_update(contact=ben, by=cast.ae, changes={"reports_to_id": stranger.pk})
    assert Contact.objects.get(pk=ben.pk).reports_to_id != stranger.pk


def test_a_cross_account_manager_is_refused_through_the_api_too(cast, team):
    _, _, ben, _ = team
    stranger = ContactFactory(account=cast.other_account)
    _, raw = ApiToken.issue(user=cast.ae, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    read = api.get(f"/api/v1/contacts/{ben.pk}").json()["updated_at"]
    body = {"reports_to_id": stranger.pk, "expected_updated_at": read}
    answer = api.patch(f"/api/v1/contacts/{ben.pk}", json.dumps(body), content_type="application/json")
    assert answer.status_code == 422 and answer.json()["field"] == "reports_to_id"


def test_who_left_gets_a_successor_shown_on_the_map(cast, team):
    account, ana, ben, _ = team
    answer = client_for(cast.ae).post(edit_url(ana), form_data(ana, status="left", replaced_by=ben.pk), **HTMX)
    assert answer.status_code == 200, answer.content.decode()
    page = answer.content.decode()
    assert "replaced by" in page and "Ben Brook" in page
    assert "Replaced by: — → Ben Brook" in page and "Status: Active → Left the company" in page
    chart_page = client_for(cast.ae).get(f"/accounts/{account.pk}/relationships/").content.decode()
    assert '"replaced_by": "Ben Brook"' in chart_page


def test_an_active_contact_has_no_successor(cast, team):
    _, ana, ben, _ = team
    answer = client_for(cast.ae).post(edit_url(ana), form_data(ana, replaced_by=ben.pk), **HTMX)
    assert answer.status_code == 422
    assert "only a contact who left or changed role has a successor" in answer.content.decode()


def test_a_successor_from_another_account_or_a_loop_of_successors_is_refused(cast, team):
    _, ana, ben, _ = team
    stranger = ContactFactory(account=cast.other_account)
    Contact.objects.filter(pk__in=[ana.pk, ben.pk]).update(status=ContactStatus.LEFT)
    with pytest.raises(InvalidInput, match="not a contact of"):
        contact_update(contact=Contact.objects.get(pk=ana.pk), by=cast.ae, changes={"replaced_by_id": stranger.pk})
    contact_update(contact=Contact.objects.get(pk=ana.pk), by=cast.ae, changes={"replaced_by_id": ben.pk})
    with pytest.raises(InvalidInput, match="loop"):
        contact_update(contact=Contact.objects.get(pk=ben.pk), by=cast.ae, changes={"replaced_by_id": ana.pk})


def test_a_stale_map_edit_is_409_and_keeps_the_other_change(cast, team):
    _, _, ben, _ = team
    stale = form_data(ben, support="mentor")
    contact_update(contact=ben, by=cast.owner, changes={"influence": "high"})
    answer = client_for(cast.ae).post(edit_url(ben), stale, **HTMX)
    assert answer.status_code == 409
    assert "Someone else changed this contact" in answer.content.decode()
    ben.refresh_from_db()
    assert (ben.support, ben.influence) == ("neutral", "high")


@pytest.mark.parametrize("who", ["owner", "admin", "ae"])
def test_the_account_team_and_the_program_may_edit(cast, team, who):
    _, _, ben, _ = team
    answer = client_for(cast.user(who)).post(edit_url(ben), form_data(ben, influence="low"), **HTMX)
    assert answer.status_code == 200
    assert Contact.objects.get(pk=ben.pk).influence == "low"


def test_the_csm_edits_the_map_of_their_account(cast):
    dee = ContactFactory(account=cast.csm_account, first_name="Dee", last_name="Dunn")
    answer = client_for(cast.csm).post(edit_url(dee), form_data(dee, support="supporter"), **HTMX)
    assert answer.status_code == 200


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("outsider_ae", 404), ("csm", 404)])
def test_others_may_not_edit_the_map(cast, team, who, status):
    _, _, ben, _ = team
    client = client_for(cast.user(who))
    assert client.get(edit_url(ben), **HTMX).status_code == status
    assert client.post(edit_url(ben), form_data(ben, support="opponent"), **HTMX).status_code == status
    assert Contact.objects.get(pk=ben.pk).support == "neutral"


def test_the_sponsor_sees_the_map_of_their_account_but_does_not_edit_it(cast):
    fay = ContactFactory(account=cast.sponsored_account, first_name="Fay", last_name="Fox")
    client = client_for(cast.sponsor)
    page = client.get(f"/accounts/{cast.sponsored_account.pk}/relationships/").content.decode()
    assert "Fay Fox" in page and f'href="{edit_url(fay)}"' not in page
    assert client.post(edit_url(fay), form_data(fay, support="mentor"), **HTMX).status_code == 403


# Relationship levels: one per pair of our person and their contact.


def test_the_ae_records_where_a_colleague_stands_and_it_shows_on_the_map(cast, team):
    account, ana, _, _ = team
    rita = UserFactory(username="rita.rep", first_name="Rita", last_name="Rep", role="account_executive")
    meeting = Engagement.objects.create(account=account, subject="Review", kind="meeting", occurred_at=timezone.now())
    EngagementContact.objects.create(engagement=meeting, contact=ana)
    EngagementAttendee.objects.create(engagement=meeting, user=rita)
    answer = client_for(cast.ae).post(
        level_url(ana), {"person": rita.pk, "current": "credible_source", "desired": "trusted_advisor"}, **HTMX
    )
    assert answer.status_code == 200, answer.content.decode()
    assert "Rita Rep: <strong>Credible source</strong> → aiming for Trusted advisor" in answer.content.decode()
    level = RelationshipLevel.objects.get()
    assert (level.user, level.contact, level.current, level.desired) == (
        rita,
        ana,
        "credible_source",
        "trusted_advisor",
    )
    page = client_for(cast.ae).get(f"/accounts/{account.pk}/relationships/").content.decode()
    assert "Rita Rep: <strong>Credible source</strong>" in page


def test_changing_a_level_keeps_its_history(cast, team):
    _, ana, _, _ = team
    client = client_for(cast.ae)
    client.post(level_url(ana), {"person": cast.ae.pk, "current": "vendor", "desired": "problem_solver"}, **HTMX)
    level = RelationshipLevel.objects.get()
    answer = client.post(
        level_url(ana),
        {
            "person": cast.ae.pk,
            "current": "problem_solver",
            "desired": "trusted_advisor",
            "version": level.updated_at.isoformat(),
        },
        **HTMX,
    )
    assert answer.status_code == 200
    assert f"Level of {cast.ae}: Vendor → Problem solver (aiming for Trusted advisor)" in answer.content.decode()
    assert level.history.count() == 2
    assert RelationshipLevel.objects.get().current == "problem_solver"


def test_a_stale_level_edit_is_409(cast, team):
    _, ana, _, _ = team
    client = client_for(cast.ae)
    client.post(level_url(ana), {"person": cast.ae.pk, "current": "vendor", "desired": "problem_solver"}, **HTMX)
    seen = RelationshipLevel.objects.get().updated_at - dt.timedelta(seconds=5)
    answer = client.post(
        level_url(ana),
        {"person": cast.ae.pk, "current": "credible_source", "desired": "trusted_advisor", "version": seen.isoformat()},
        **HTMX,
    )
    assert answer.status_code == 409 and "Concurrent edits detected" in answer.content.decode()
    assert RelationshipLevel.objects.get().current == "vendor"


def test_the_level_aimed_for_cannot_be_below_today(cast, team):
    _, ana, _, _ = team
    answer = client_for(cast.ae).post(
        level_url(ana), {"person": cast.ae.pk, "current": "trusted_advisor", "desired": "vendor"}, **HTMX
    )
    assert answer.status_code == 422 and "cannot be below" in answer.content.decode()
    assert not RelationshipLevel.objects.exists()


def test_the_sponsor_records_their_own_level_but_nobody_elses(cast):
    fay = ContactFactory(account=cast.sponsored_account, first_name="Fay", last_name="Fox")
    client = client_for(cast.sponsor)
    own = client.post(level_url(fay), {"person": cast.sponsor.pk, "current": "vendor", "desired": "trusted_advisor"})
    assert own.status_code == 302
    assert RelationshipLevel.objects.get().user == cast.sponsor
    other = client.post(
        level_url(fay), {"person": cast.owner.pk, "current": "vendor", "desired": "trusted_advisor"}, **HTMX
    )
    assert other.status_code == 422  # not a person they may choose
    assert RelationshipLevel.objects.count() == 1


def test_a_viewer_records_no_level(cast, team):
    _, ana, _, _ = team
    answer = client_for(cast.viewer).post(
        level_url(ana), {"person": cast.viewer.pk, "current": "vendor", "desired": "vendor"}, **HTMX
    )
    assert answer.status_code == 403
    assert not RelationshipLevel.objects.exists()


def test_an_outsider_cannot_reach_the_levels_of_an_account_they_do_not_see(cast, team):
    _, ana, _, _ = team
    answer = client_for(cast.outsider_ae).post(
        level_url(ana), {"person": cast.outsider_ae.pk, "current": "vendor", "desired": "vendor"}, **HTMX
    )
    assert answer.status_code == 404


def test_history_names_who_changed_what_newest_first(cast, team):
    account, _, ben, _ = team
    contact_update(contact=ben, by=cast.ae, changes={"support": "supporter"})
    contact_update(contact=Contact.objects.get(pk=ben.pk), by=cast.owner, changes={"buying_role": "champion"})
    page = client_for(cast.ae).get(f"/accounts/{account.pk}/relationships/").content.decode()
    section = page.split(f'id="person-{ben.pk}"')[1].split("relationship-row")[0]
    assert section.index("Buying role: — → Champion") < section.index("Support: Neutral → Supporter")
    assert f"{cast.owner}: Buying role" in section


def test_the_map_reads_as_many_queries_for_twelve_people_as_for_three(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account = cast.owned_account
    client = client_for(cast.ae)

    def people(n):
        for i in range(n):
            person = ContactFactory(account=account, last_name=f"Person{i}")
            contact_update(contact=person, by=cast.ae, changes={"support": "supporter"})
            RelationshipLevel.objects.create(user=cast.ae, contact=person, current="vendor", desired="problem_solver")

    def queries():
        client.get(f"/accounts/{account.pk}/relationships/")  # warm: session, caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/accounts/{account.pk}/relationships/").status_code == 200
        return len(captured)

    people(3)
    few = queries()
    people(9)
    assert queries() == few
