import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_executives_with_their_load(cast, api_as):
    body = api_as("csm").get("/executives").json()
    assert [(e["user"]["username"], e["load"]) for e in body["items"]] == [("sam.sponsor", 1)]
    assert body["count"] == 1


def test_an_executive_does_not_reveal_which_accounts_they_sponsor(cast, api_as):
    executive = cast.sponsor.executive
    body = api_as("csm").get(f"/executives/{executive.pk}").json()
    assert "Blue Harbor" not in str(body)


# ---- adding and changing executives: the program owner and admins only

NEW_EXECUTIVE = {
    "function": "cfo",
    "level": "c_suite",
    "industries": ["Banking", "Insurance"],
    "regions": ["EMEA"],
    "languages": ["en", "de"],
    "time_zone": "Europe/Berlin",
    "capacity_min": 1,
    "capacity_max": 4,
    "working_style": "Numbers first, short meetings",
    "enablement": ["sponsor-101"],
}


@pytest.fixture
def future_cfo(db):
    from execsponsor.users.models import Role
    from tests.factories import UserFactory

    return UserFactory(username="freya.finance", first_name="Freya", last_name="Lund", role=Role.VIEWER)


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_the_program_owner_and_admins_create_an_executive(cast, api_as, future_cfo, role):
    response = api_as(role).post("/executives", {"user_id": future_cfo.pk, **NEW_EXECUTIVE})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["username"] == "freya.finance"
    assert (body["function"], body["level"], body["time_zone"]) == ("cfo", "c_suite", "Europe/Berlin")
    assert (body["industries"], body["languages"], body["capacity_max"]) == (["Banking", "Insurance"], ["en", "de"], 4)
    assert body["load"] == 0


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae", "csm", "outsider_ae"])
def test_every_other_role_is_refused_403_on_create(cast, api_as, future_cfo, role):
    from execsponsor.users.models import Executive

    response = api_as(role).post("/executives", {"user_id": future_cfo.pk, **NEW_EXECUTIVE})
    assert response.status_code == 403
    assert "program owner" in response.json()["message"]
    assert not Executive.objects.filter(user=future_cfo).exists()


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae", "csm", "outsider_ae"])
def test_every_other_role_is_refused_403_on_update(cast, api_as, role):
    executive = cast.sponsor.executive
    response = api_as(role).patch(f"/executives/{executive.pk}", {"capacity_max": 9})
    assert response.status_code == 403
    executive.refresh_from_db()
    assert executive.capacity_max == 5


def test_creating_a_viewer_as_executive_makes_them_an_executive_sponsor(cast, api_as, future_cfo):
    api_as("owner").post("/executives", {"user_id": future_cfo.pk, **NEW_EXECUTIVE})
    future_cfo.refresh_from_db()
    assert future_cfo.role == "executive"


def test_a_person_is_an_executive_once(cast, api_as):
    response = api_as("owner").post("/executives", {"user_id": cast.sponsor.pk, **NEW_EXECUTIVE})
    assert response.status_code == 422
    assert "already an executive" in response.json()["message"]


def test_an_unknown_user_is_a_422(cast, api_as):
    response = api_as("owner").post("/executives", {"user_id": 987654, **NEW_EXECUTIVE})
    assert response.status_code == 422
    assert "no user with id 987654" in response.json()["message"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"capacity_min": 6, "capacity_max": 2}, "above the maximum"),
        ({"capacity_max": 21}, "less than or equal to 20"),
        ({"time_zone": "Mars/Olympus"}, "not a time zone"),
        ({"function": "wizard"}, "function"),
    ],
)
def test_bad_profiles_are_refused_with_a_reason(cast, api_as, future_cfo, change, words):
    response = api_as("owner").post("/executives", {"user_id": future_cfo.pk, **NEW_EXECUTIVE, **change})
    assert response.status_code == 422
    assert words in response.json()["message"]


def test_the_owner_updates_an_executive_and_history_names_them(cast, api_as):
    executive = cast.sponsor.executive
    read = api_as("owner").get(f"/executives/{executive.pk}").json()
    response = api_as("owner").patch(
        f"/executives/{executive.pk}",
        {"capacity_max": 7, "languages": ["en", "ja"], "expected_updated_at": read["updated_at"]},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["capacity_max"], response.json()["languages"]) == (7, ["en", "ja"])
    assert executive.history.first().history_user == cast.owner


def test_an_update_based_on_an_old_read_is_refused_409(cast, api_as):
    executive = cast.sponsor.executive
    read = api_as("owner").get(f"/executives/{executive.pk}").json()
    assert api_as("admin").patch(f"/executives/{executive.pk}", {"capacity_max": 6}).status_code == 200
    stale = api_as("owner").patch(
        f"/executives/{executive.pk}", {"capacity_max": 8, "expected_updated_at": read["updated_at"]}
    )
    assert stale.status_code == 409
    executive.refresh_from_db()
    assert executive.capacity_max == 6


def test_an_executive_cannot_report_to_themselves(cast, api_as):
    executive = cast.sponsor.executive
    response = api_as("owner").patch(f"/executives/{executive.pk}", {"reports_to_id": executive.pk})
    assert response.status_code == 422
    assert "reporting loop" in response.json()["message"]
