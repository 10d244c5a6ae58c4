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
