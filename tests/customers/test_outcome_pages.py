"""The account page's Outcomes and Advocates sections: add and edit in place (htmx), errors and stale edits,
and who sees which buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from execsponsor.customers.models import Advocate, Outcome
from execsponsor.customers.services_outcomes import advocate_create, outcome_create
from tests.conftest import client_for
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"customers:{name}", args=args)


def test_the_account_page_shows_outcomes_and_advocates_with_their_buttons_for_the_ae(cast):
    outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Close the books in 3 days"})
    contact = ContactFactory(account=cast.owned_account, first_name="João", last_name="Conceição")
    advocate_create(by=cast.ae, contact=contact, fields={"agreed_to": ["reference_call"]})
    page = client_for(cast.ae).get(cast.owned_account.get_absolute_url()).content.decode()
    assert 'id="outcomes"' in page and "Close the books in 3 days" in page
    assert 'id="advocates"' in page and "Reference calls" in page
    assert f'hx-get="{url("outcome_new", cast.owned_account.pk)}"' in page
    assert ">Advocate</a>" in page  # the contact's row says they are an advocate


def test_a_viewer_sees_the_sections_without_buttons_and_cannot_open_the_forms(cast):
    outcome = outcome_create(by=cast.owner, account=cast.owned_account, fields={"title": "Cut churn"})
    viewer = client_for(cast.viewer)
    page = viewer.get(cast.owned_account.get_absolute_url()).content.decode()
    assert "Cut churn" in page and "Add an outcome" not in page
    assert viewer.get(url("outcome_new", cast.owned_account.pk), **HTMX).status_code == 403
    assert viewer.post(url("outcome_edit", cast.owned_account.pk, outcome.pk), {"title": "x"}).status_code == 403


def test_someone_who_cannot_see_the_account_gets_404(cast):
    outcome = outcome_create(by=cast.owner, account=cast.owned_account, fields={"title": "Cut churn"})
    outsider = client_for(cast.outsider_ae)
    assert outsider.get(url("outcome_new", cast.owned_account.pk)).status_code == 404
    assert outsider.get(url("outcome_edit", cast.owned_account.pk, outcome.pk)).status_code == 404
    assert outsider.get(url("outcomes_section", cast.owned_account.pk), **HTMX).status_code == 404
    # An outcome reached through another account's address does not exist there either.
    assert client_for(cast.owner).get(url("outcome_edit", cast.other_account.pk, outcome.pk)).status_code == 404


def test_the_sponsor_adds_an_expected_outcome_in_place(cast):
    sponsor = client_for(cast.sponsor)
    account = cast.sponsored_account
    form = sponsor.get(url("outcome_new", account.pk), **HTMX)
    assert form.status_code == 200 and 'name="title"' in form.content.decode()
    saved = sponsor.post(
        url("outcome_new", account.pk),
        {"title": "Halve onboarding time", "measure": "weeks", "baseline": "8", "target": "4", "status": "expected"},
        **HTMX,
    )
    assert saved.status_code == 200
    assert saved["HX-Retarget"] == "#outcomes"
    assert "Halve onboarding time" in saved.content.decode()
    outcome = Outcome.objects.get()
    assert (outcome.account, outcome.target, outcome.history.get().history_user) == (account, "4", cast.sponsor)


def test_marking_delivered_without_evidence_comes_back_as_the_form_with_the_reason(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    ae = client_for(cast.ae)
    form = {"title": "Cut churn", "status": "delivered", "evidence": "", "version": outcome.updated_at.isoformat()}
    answer = ae.post(url("outcome_edit", cast.owned_account.pk, outcome.pk), form, **HTMX)
    assert answer.status_code == 422
    assert "what shows the result was delivered" in answer.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == "expected"


def test_a_stale_form_is_a_409_showing_the_conflict(cast):
    outcome = outcome_create(by=cast.ae, account=cast.owned_account, fields={"title": "Cut churn"})
    stale = outcome.updated_at.isoformat()
    client_for(cast.owner).post(
        url("outcome_edit", cast.owned_account.pk, outcome.pk),
        {"title": "Cut churn to 2%", "status": "in_progress", "version": stale},
        **HTMX,
    )
    answer = client_for(cast.ae).post(
        url("outcome_edit", cast.owned_account.pk, outcome.pk),
        {"title": "Cut churn", "status": "missed", "version": stale},
        **HTMX,
    )
    assert answer.status_code == 409 and "Someone else changed this outcome" in answer.content.decode()
    outcome.refresh_from_db()
    assert (outcome.title, outcome.status) == ("Cut churn to 2%", "in_progress")


def test_without_javascript_the_form_is_a_page_and_saving_goes_back_to_the_account(cast):
    ae = client_for(cast.ae)
    page = ae.get(url("outcome_new", cast.owned_account.pk))
    assert page.status_code == 200 and "<html" in page.content.decode()
    saved = ae.post(url("outcome_new", cast.owned_account.pk), {"title": "Cut churn", "status": "expected"})
    assert saved.status_code == 302 and saved["Location"].endswith("#outcomes")


def test_an_advocate_is_added_and_their_activity_recorded_in_place(cast):
    contact = ContactFactory(account=cast.sponsored_account, first_name="Hanako", last_name="山田", title="CIO")
    sponsor = client_for(cast.sponsor)
    account = cast.sponsored_account
    form = sponsor.get(url("advocate_new", account.pk), **HTMX).content.decode()
    assert "山田" in form and 'value="reference_call"' in form
    saved = sponsor.post(
        url("advocate_new", account.pk),
        {"contact": contact.pk, "agreed_to": ["reference_call", "event"], "agreed_on": "2026-02-01"},
        **HTMX,
    )
    assert saved.status_code == 200 and saved["HX-Retarget"] == "#advocates"
    advocate = Advocate.objects.get()
    assert (advocate.contact, advocate.agreed_to) == (contact, ["reference_call", "event"])
    done = sponsor.post(
        url("advocacy_activity_new", account.pk, advocate.pk),
        {"kind": "event", "done_on": "2026-04-10", "note": "Spoke at our Tokyo summit"},
        **HTMX,
    )
    assert done.status_code == 200 and "Spoke at our Tokyo summit" in done.content.decode()
    assert advocate.activities.get().done_on == dt.date(2026, 4, 10)


def test_an_advocate_form_without_a_choice_is_a_422(cast):
    contact = ContactFactory(account=cast.sponsored_account)
    answer = client_for(cast.sponsor).post(
        url("advocate_new", cast.sponsored_account.pk), {"contact": contact.pk}, **HTMX
    )
    assert answer.status_code == 422 and not Advocate.objects.exists()


def test_editing_what_an_advocate_agreed_to(cast):
    contact = ContactFactory(account=cast.owned_account)
    advocate = advocate_create(by=cast.ae, contact=contact, fields={"agreed_to": ["reference_call"]})
    answer = client_for(cast.ae).post(
        url("advocate_edit", cast.owned_account.pk, advocate.pk),
        {
            "agreed_to": ["case_study"],
            "agreed_on": "2026-01-02",
            "notes": "",
            "version": advocate.updated_at.isoformat(),
        },
        **HTMX,
    )
    assert answer.status_code == 200
    advocate.refresh_from_db()
    assert advocate.agreed_to == ["case_study"]
