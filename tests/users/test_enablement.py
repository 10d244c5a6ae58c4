"""Executive enablement: the catalogue, dated completions, the summary, the pages and the matching policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from execsponsor.common.errors import ConcurrentEdit, InvalidInput, NotPermitted
from execsponsor.program.executives import policy as matching_policy
from execsponsor.program.matching import services as matching_services
from execsponsor.program.matching.inputs import MatchingOptions
from execsponsor.users import enablement, services
from execsponsor.users.models import EnablementAudience, EnablementCompletion, EnablementItem, Executive
from tests.conftest import client_for
from tests.factories import ExecutiveFactory

pytestmark = pytest.mark.django_db

REQUIRED_OF_EVERYONE = ["Sponsor 101", "Executive briefing", "Account planning"]
NOT_CUSTOMER_FACING = "Customer-facing skills for non-customer-facing executives"


def _item(key: str) -> EnablementItem:
    enablement.catalogue_ensure()  # a transactional test elsewhere may have flushed the migration's rows
    return EnablementItem.objects.get(key=key)


def _complete_all_required(executive, by) -> None:
    for item in enablement.catalogue():
        if item.required_of(executive):
            enablement.enablement_complete(executive=executive, item=item, by=by)


def test_the_catalogue_starts_with_the_briefings_and_skills_of_the_program():
    items = {item.label: item.audience for item in enablement.catalogue()}
    assert items == {
        "Sponsor 101": EnablementAudience.EVERYONE,
        "Executive briefing": EnablementAudience.EVERYONE,
        "Account planning": EnablementAudience.EVERYONE,
        "Escalation handling": EnablementAudience.OPTIONAL,
        NOT_CUSTOMER_FACING: EnablementAudience.NOT_CUSTOMER_FACING,
    }


def test_a_cto_who_is_not_customer_facing_also_needs_the_customer_facing_skills(cast):
    cto = ExecutiveFactory(customer_facing=False)
    seller = ExecutiveFactory(customer_facing=True)
    assert enablement.enablement_summary(cto) == (0, 4, [*REQUIRED_OF_EVERYONE, NOT_CUSTOMER_FACING])
    assert enablement.enablement_summary(seller) == (0, 3, REQUIRED_OF_EVERYONE)


def test_a_completion_is_dated_attributed_and_kept_in_step_with_the_list(cast):
    executive = Executive.objects.get(user=cast.sponsor)
    on = timezone.localdate() - dt.timedelta(days=20)
    enablement.enablement_complete(executive=executive, item=_item("account-planning"), by=cast.owner, completed_on=on)
    enablement.enablement_complete(executive=executive, item=_item("sponsor-101"), by=cast.owner)
    completion = EnablementCompletion.objects.get(executive=executive, item__key="account-planning")
    assert (completion.completed_on, completion.recorded_by) == (on, cast.owner)
    executive.refresh_from_db()
    assert executive.enablement == ["sponsor-101", "account-planning"]  # catalogue order
    assert enablement.enablement_summary(executive) == (2, 3, ["Executive briefing"])
    enablement.enablement_uncomplete(executive=executive, item=_item("sponsor-101"), by=cast.owner)
    executive.refresh_from_db()
    assert executive.enablement == ["account-planning"]
    assert EnablementCompletion.history.filter(history_type="-", history_user=cast.owner).count() == 1


def test_a_completion_cannot_be_in_the_future_or_recorded_by_a_sponsor(cast):
    executive = Executive.objects.get(user=cast.sponsor)
    with pytest.raises(InvalidInput, match="future"):
        enablement.enablement_complete(
            executive=executive, item=_item("sponsor-101"), by=cast.owner,
            completed_on=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(NotPermitted):
        enablement.enablement_complete(executive=executive, item=_item("sponsor-101"), by=cast.sponsor)


def test_the_profile_list_of_keys_still_writes_completions(cast):
    """The API, the form and the import set `enablement` as a list of keys; the completions follow."""
    executive = Executive.objects.get(user=cast.sponsor)
    services.executive_update(
        executive=executive, by=cast.owner, changes={"enablement": ["sponsor-101", "board-etiquette"]}
    )
    done = dict(EnablementCompletion.objects.filter(executive=executive).values_list("item__key", "recorded_by"))
    assert done == {"sponsor-101": cast.owner.pk, "board-etiquette": cast.owner.pk}
    assert _item("board-etiquette").audience == EnablementAudience.OPTIONAL  # an unknown key joins as optional
    services.executive_update(executive=executive, by=cast.owner, changes={"enablement": ["board-etiquette"]})
    assert list(EnablementCompletion.objects.filter(executive=executive).values_list("item__key", flat=True)) == [
        "board-etiquette"
    ]


def test_the_api_enablement_field_reads_the_completions(cast):
    from tests.api.conftest import ApiClient

    executive = Executive.objects.get(user=cast.sponsor)
    enablement.enablement_complete(executive=executive, item=_item("executive-briefing"), by=cast.owner)
    body = ApiClient(cast.owner).get(f"/executives/{executive.pk}").json()
    assert body["enablement"] == ["executive-briefing"]


def test_the_catalogue_is_edited_by_the_owner_with_stale_edits_refused(cast):
    item = enablement.enablement_item_create(
        by=cast.owner, fields={"label": "Board etiquette", "audience": EnablementAudience.EVERYONE}
    )
    assert item.key == "board-etiquette"
    enablement.enablement_item_update(item=item, by=cast.owner, changes={"audience": "optional"}, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        enablement.enablement_item_update(item=item, by=cast.owner, changes={"label": "Etiquette"}, expected_version=1)
    with pytest.raises(NotPermitted):
        enablement.enablement_item_create(by=cast.viewer, fields={"label": "Nope"})
    item.refresh_from_db()
    assert (item.label, item.audience, item.version) == ("Board etiquette", "optional", 2)


def test_a_retired_item_is_no_longer_required(cast):
    executive = Executive.objects.get(user=cast.sponsor)
    item = _item("account-planning")
    enablement.enablement_item_update(item=item, by=cast.owner, changes={"is_active": False}, expected_version=1)
    assert enablement.enablement_summary(executive) == (0, 2, ["Sponsor 101", "Executive briefing"])


@pytest.mark.parametrize("role", ["admin", "owner", "viewer", "sponsor", "ae", "csm"])
def test_everyone_reads_the_catalogue_and_the_checklist(cast, role):
    client = client_for(cast.user(role))
    assert client.get(reverse("executives:enablement_catalogue")).status_code == 200
    executive = Executive.objects.get(user=cast.sponsor)
    page = client.get(executive.get_absolute_url()).content.decode()
    assert "Enablement 0/3" in page and "Sponsor 101" in page
    assert ("Completed</label>" in page) == (role in ("admin", "owner"))  # the tick boxes


@pytest.mark.parametrize("role", ["viewer", "sponsor", "ae", "csm"])
def test_only_the_owner_and_admins_tick_and_edit(cast, role):
    client = client_for(cast.user(role))
    executive = Executive.objects.get(user=cast.sponsor)
    tick = client.post(
        reverse("executives:enablement_tick", args=[executive.pk]), {"item": _item("sponsor-101").pk, "done": "on"}
    )
    new = client.post(reverse("executives:enablement_item_new"), {"new-label": "Nope", "new-audience": "everyone"})
    policy = client.post(reverse("executives:enablement_policy"), {"matching": "exclude"})
    assert (tick.status_code, new.status_code, policy.status_code) == (403, 403, 403)
    assert not EnablementCompletion.objects.exists()


def test_the_owner_ticks_an_item_with_its_date_on_the_executives_page(cast):
    executive = Executive.objects.get(user=cast.sponsor)
    client = client_for(cast.owner)
    response = client.post(
        reverse("executives:enablement_tick", args=[executive.pk]),
        {"item": _item("sponsor-101").pk, "done": "on", "completed_on": "2026-01-05"},
    )
    assert response.status_code == 302
    page = client.get(executive.get_absolute_url()).content.decode()
    assert "completed 5 Jan 2026, recorded by" in page and "Enablement 1/3" in page
    client.post(reverse("executives:enablement_tick", args=[executive.pk]), {"item": _item("sponsor-101").pk})
    assert not EnablementCompletion.objects.exists()


def test_a_stale_catalogue_edit_is_a_409_on_the_page(cast):
    item = _item("sponsor-101")
    client = client_for(cast.owner)
    form = {f"item{item.pk}-label": "Sponsor 101", f"item{item.pk}-audience": "everyone",
            f"item{item.pk}-is_active": "on", f"item{item.pk}-version": 1}  # fmt: skip
    assert client.post(reverse("executives:enablement_item_edit", args=[item.pk]), form).status_code == 302
    assert client.post(reverse("executives:enablement_item_edit", args=[item.pk]), form).status_code == 409


def test_the_executives_list_shows_progress(cast):
    page = client_for(cast.viewer).get(reverse("executives:executive_list")).content.decode()
    assert "Enablement 0/3" in page


def test_the_workbench_flags_executives_who_have_not_completed_the_required_items(company):
    for executive in Executive.objects.exclude(pk=company["cfo"].pk):
        _complete_all_required(executive, company["owner"])
    enablement.enablement_complete(executive=company["cfo"], item=_item("sponsor-101"), by=company["owner"])
    page = client_for(company["owner"]).get(reverse("program:matching_workbench")).content.decode()
    assert "1 of 4 executives have not completed the required enablement" in page
    assert "Dana Whitfield" in page and "missing Executive briefing, Account planning" in page
    assert "The policy only warns" in page


def test_with_the_policy_on_warn_an_unenabled_executive_is_still_matched(company):
    for executive in Executive.objects.exclude(pk=company["cfo"].pk):
        _complete_all_required(executive, company["owner"])
    result = matching_services.matching_run_preview(by=company["owner"], options=MatchingOptions())
    assert {p["account_name"]: p["executive_name"] for p in result["pairs"]}["Blue Harbor Bank"] == "Dana Whitfield"


def test_with_the_policy_on_exclude_no_run_proposes_an_unenabled_executive(company):
    for executive in Executive.objects.exclude(pk=company["cfo"].pk):
        _complete_all_required(executive, company["owner"])
    matching_policy.enablement_policy_save(by=company["owner"], mode=enablement.EXCLUDE, expected_version=0)
    result = matching_services.matching_run_preview(by=company["owner"], options=MatchingOptions())
    pairs = {p["account_name"]: p["executive_name"] for p in result["pairs"]}
    assert "Dana Whitfield" not in pairs.values()
    assert "Blue Harbor Bank" in pairs  # matched to someone else instead
    page = client_for(company["owner"]).get(reverse("program:matching_workbench")).content.decode()
    assert "The policy excludes them" in page


def test_an_excluded_executive_keeps_the_accounts_they_sponsor(company):
    from tests.factories import SponsorshipFactory

    SponsorshipFactory(account=company["bank"], executive=company["cfo"])
    matching_policy.enablement_policy_save(by=company["owner"], mode=enablement.EXCLUDE, expected_version=0)
    result = matching_services.matching_run_preview(by=company["owner"], options=MatchingOptions())
    dana = sorted(p["account_name"] for p in result["pairs"] if p["executive_name"] == "Dana Whitfield")
    assert dana == ["Blue Harbor Bank"]


def test_an_empty_catalogue_is_filled_with_the_starting_items():
    EnablementItem.objects.all().delete()
    assert [item.key for item in enablement.catalogue()] == [
        "sponsor-101",
        "executive-briefing",
        "account-planning",
        "escalation-handling",
        "customer-facing-skills",
    ]
