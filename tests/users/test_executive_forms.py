"""Adding and editing an executive from the Executives page: choices from the data, no JSON, checked input."""

import pytest

from execsponsor.users.models import Executive, Role
from tests.conftest import client_for
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return UserFactory(username="nina.new", first_name="Nina", last_name="Novak", role=Role.VIEWER, title="CRO")


def _profile(user, **changes):
    form = {
        "user": user.pk,
        "function": "cro",
        "level": "evp",
        "industries": ["Aerospace", "Banking"],
        "regions": ["Benelux"],
        "languages": ["en", "nl"],
        "time_zone": "Europe/Amsterdam",
        "capacity_min": "1",
        "capacity_max": "3",
        "customer_facing": "on",
        "working_style": "Direct; likes whiteboards",
        "enablement": ["sponsor-101"],
    }
    form.update(changes)
    return form


def test_the_form_offers_industries_and_regions_from_the_accounts(cast, newcomer):
    AccountFactory(industry="Aerospace", region="Benelux")
    page = client_for(cast.owner).get("/executives/new/").content.decode()
    assert 'value="Aerospace"' in page and 'value="Benelux"' in page
    assert 'value="Europe/Amsterdam"' in page
    assert "Nina Novak" in page
    assert "sam.sponsor" not in page  # already an executive


def test_the_owner_adds_an_executive_from_the_form(cast, newcomer):
    AccountFactory(industry="Aerospace", region="Benelux")
    response = client_for(cast.owner).post("/executives/new/", _profile(newcomer))
    assert response.status_code == 302
    executive = Executive.objects.get(user=newcomer)
    assert response["Location"] == f"/executives/{executive.pk}/"
    assert (executive.function, executive.level, executive.time_zone) == ("cro", "evp", "Europe/Amsterdam")
    assert (executive.industries, executive.regions, executive.languages) == (
        ["Aerospace", "Banking"],
        ["Benelux"],
        ["en", "nl"],
    )
    assert (executive.capacity_min, executive.capacity_max) == (1, 3)
    assert executive.history.first().history_user == cast.owner


def test_a_minimum_above_the_maximum_is_refused_with_a_message(cast, newcomer):
    response = client_for(cast.owner).post("/executives/new/", _profile(newcomer, capacity_min="4", capacity_max="2"))
    assert response.status_code == 422
    assert b"The minimum (4) is above the maximum (2)" in response.content
    assert not Executive.objects.filter(user=newcomer).exists()


def test_a_value_not_offered_is_refused(cast, newcomer):
    response = client_for(cast.owner).post("/executives/new/", _profile(newcomer, industries=["Wizardry"]))
    assert response.status_code == 422
    assert not Executive.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae", "csm"])
def test_only_the_program_roles_add_executives(cast, newcomer, role):
    client = client_for(cast.user(role))
    assert client.get("/executives/new/").status_code == 403
    assert client.post("/executives/new/", _profile(newcomer)).status_code == 403


def test_the_owner_edits_a_profile(cast):
    executive = cast.sponsor.executive
    client = client_for(cast.owner)
    page = client.get(f"/executives/{executive.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {**form.initial, "capacity_max": "8", "customer_facing": "on"}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(f"/executives/{executive.pk}/edit/", data)
    assert response.status_code == 302, response.content
    executive.refresh_from_db()
    assert executive.capacity_max == 8


def test_an_edit_over_someone_elses_newer_save_is_refused(cast):
    executive = cast.sponsor.executive
    client = client_for(cast.owner)
    form = client.get(f"/executives/{executive.pk}/edit/").context["form"]
    stale = {k: v for k, v in {**form.initial, "capacity_max": "9"}.items() if v is not None}
    client_for(cast.admin).post(
        f"/executives/{executive.pk}/edit/",
        {k: v for k, v in {**form.initial, "capacity_max": "6"}.items() if v is not None},
    )
    response = client.post(f"/executives/{executive.pk}/edit/", stale)
    assert response.status_code == 422
    assert b"Concurrent edits detected" in response.content
    executive.refresh_from_db()
    assert executive.capacity_max == 6


def test_the_empty_executives_page_says_what_to_do(db):
    owner = UserFactory(role=Role.PROGRAM_OWNER)
    page = client_for(owner).get("/executives/").content.decode()
    assert "No executives yet" in page and 'href="/executives/new/"' in page


def test_the_workbench_says_when_there_are_no_executives(db):
    owner = UserFactory(role=Role.PROGRAM_OWNER)
    page = client_for(owner).get("/program/matching/").content.decode()
    assert "There are no executives yet" in page


def test_make_executive_on_the_people_page_preselects_the_person(cast, newcomer):
    people = client_for(cast.admin).get("/people/").content.decode()
    assert f'href="/executives/new/?user={newcomer.pk}"' in people
    page = client_for(cast.admin).get(f"/executives/new/?user={newcomer.pk}").content.decode()
    assert f'<option value="{newcomer.pk}" selected>' in page
