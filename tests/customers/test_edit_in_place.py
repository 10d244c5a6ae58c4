"""Editing an account's sections and its contacts in place on the account page, through real HTTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from execsponsor.customers.models import Account, BuyingRole, Segment, Seniority, Support
from execsponsor.users.models import Role
from tests.conftest import client_for
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def figures_url(account) -> str:
    return f"/accounts/{account.pk}/sections/figures/edit/"


def plan_url(account) -> str:
    return f"/accounts/{account.pk}/sections/plan/edit/"


def contact_url(contact) -> str:
    return f"/accounts/{contact.account_id}/contacts/{contact.pk}/edit/"


def figures_form(account, **changes) -> dict:
    account.refresh_from_db()
    data = {
        "version": account.updated_at.isoformat(),
        "arr": str(account.arr or ""),
        "strategic_value": account.strategic_value if account.strategic_value is not None else "",
        "growth_potential": str(account.growth_potential or ""),
        "renewal_date": account.renewal_date.isoformat() if account.renewal_date else "",
        "segment": account.segment,
        "owner": account.owner_id or "",
        "csm": account.csm_id or "",
    }
    return {**data, **changes}


def plan_form(account, **changes) -> dict:
    account.refresh_from_db()
    data = {
        "version": account.updated_at.isoformat(),
        "account_strategy": account.account_strategy,
        "capability_areas_in_use": ", ".join(account.capability_areas_in_use),
        "capability_areas_planned": ", ".join(account.capability_areas_planned),
        "customer_goals": account.customer_goals,
        "pain_points": account.pain_points,
    }
    return {**data, **changes}


def contact_form(contact, **changes) -> dict:
    contact.refresh_from_db()
    data = {
        "version": contact.updated_at.isoformat(),
        "seniority": contact.seniority,
        "persona": contact.persona,
        "buying_role": contact.buying_role,
        "support": contact.support,
        "influence": contact.influence,
        "decision_orientation": contact.decision_orientation,
        "reports_to": contact.reports_to_id or "",
    }
    return {**data, **changes}


# Who sees Edit


def test_the_account_executive_sees_edit_buttons_on_their_account(cast):
    content = client_for(cast.ae).get(f"/accounts/{cast.owned_account.pk}/").content.decode()
    assert f'hx-get="{figures_url(cast.owned_account)}"' in content
    assert f'hx-get="{plan_url(cast.owned_account)}"' in content


def test_the_viewer_sees_no_edit_button(cast):
    ContactFactory(account=cast.owned_account)
    content = client_for(cast.viewer).get(f"/accounts/{cast.owned_account.pk}/").content.decode()
    assert "/edit/" not in content
    assert ">Edit</a>" not in content


def test_a_sponsor_sees_no_edit_button_on_the_account_they_sponsor(cast):
    content = client_for(cast.sponsor).get(f"/accounts/{cast.sponsored_account.pk}/").content.decode()
    assert "/edit/" not in content


# Editing an account's figures


def test_the_account_executive_edits_arr_and_renewal_in_place(cast):
    account = cast.owned_account
    response = client_for(cast.ae).post(
        figures_url(account),
        figures_form(
            account, arr="1250000", renewal_date="2027-03-31", strategic_value="85", segment=Segment.MID_MARKET
        ),
        **HTMX,
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.arr == Decimal("1250000")
    assert account.renewal_date == dt.date(2027, 3, 31)
    assert account.strategic_value == 85
    assert account.segment == Segment.MID_MARKET
    content = response.content.decode()
    assert "$1,250,000" in content
    assert 'id="account-header-figures" hx-swap-oob="true"' in content
    assert "$1.25M" in content


def test_the_edit_form_comes_in_place_of_the_section(cast):
    response = client_for(cast.ae).get(figures_url(cast.owned_account), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith("<form")
    assert 'id="account-figures"' in content
    assert 'name="arr"' in content
    assert 'name="version"' in content


def test_the_account_executive_cannot_reassign_their_account(cast):
    content = client_for(cast.ae).get(figures_url(cast.owned_account), **HTMX).content.decode()
    assert 'name="owner"' not in content
    assert 'name="csm"' not in content
    other_ae = UserFactory(role=Role.ACCOUNT_EXECUTIVE)
    attempt = figures_form(cast.owned_account, owner=other_ae.pk)
    client_for(cast.ae).post(figures_url(cast.owned_account), attempt, **HTMX)
    cast.owned_account.refresh_from_db()
    assert cast.owned_account.owner == cast.ae


def test_the_program_owner_reassigns_the_ae_and_the_csm(cast):
    new_ae = UserFactory(role=Role.ACCOUNT_EXECUTIVE, first_name="Nadia", last_name="Novak")
    new_csm = UserFactory(role=Role.CSM, first_name="Colm", last_name="Byrne")
    account = cast.owned_account
    response = client_for(cast.owner).post(
        figures_url(account), figures_form(account, owner=new_ae.pk, csm=new_csm.pk), **HTMX
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert (account.owner, account.csm) == (new_ae, new_csm)
    assert "Nadia Novak" in response.content.decode()


def test_a_negative_arr_is_shown_as_an_error_next_to_the_field(cast):
    account = cast.owned_account
    response = client_for(cast.ae).post(figures_url(account), figures_form(account, arr="-5"), **HTMX)
    assert response.status_code == 422
    content = response.content.decode()
    assert "greater than or equal to 0" in content
    assert "is-invalid" in content
    account.refresh_from_db()
    assert account.arr == Decimal("480000")


def test_a_strategic_value_above_100_is_refused(cast):
    account = cast.owned_account
    response = client_for(cast.ae).post(figures_url(account), figures_form(account, strategic_value="140"), **HTMX)
    assert response.status_code == 422
    assert "less than or equal to 100" in response.content.decode()


def test_a_renewal_date_that_is_not_a_date_is_refused(cast):
    account = cast.owned_account
    response = client_for(cast.ae).post(figures_url(account), figures_form(account, renewal_date="next spring"), **HTMX)
    assert response.status_code == 422
    assert "Enter a valid date" in response.content.decode()


def test_a_stale_edit_is_refused_with_a_reload_message(cast):
    account = cast.owned_account
    stale = figures_form(account, arr="900000")
    # Someone else saves first.
    client_for(cast.owner).post(figures_url(account), figures_form(account, arr="700000"), **HTMX)
    response = client_for(cast.ae).post(figures_url(account), stale, **HTMX)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this account" in content
    assert "Reload the page" in content
    account.refresh_from_db()
    assert account.arr == Decimal("700000")


def test_a_form_without_its_version_is_refused(cast):
    data = figures_form(cast.owned_account, arr="900000")
    del data["version"]
    response = client_for(cast.ae).post(figures_url(cast.owned_account), data, **HTMX)
    assert response.status_code == 422


def test_a_saved_edit_is_in_the_history_with_its_author(cast):
    account = cast.owned_account
    response = client_for(cast.ae).post(figures_url(account), figures_form(account, arr="650000"), **HTMX)
    record = account.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == cast.ae
    assert record.arr == Decimal("650000")
    history = response.content.decode().split('id="account-history"')[1]
    assert str(cast.ae) in history
    assert "650,000" in history


# Editing the account strategy


def test_the_csm_edits_the_strategy_and_the_capability_areas(cast):
    account = cast.csm_account
    response = client_for(cast.csm).post(
        plan_url(account),
        plan_form(
            account,
            account_strategy="Expand from payments into analytics",
            capability_areas_in_use="Payments,  Fraud detection, payments",
            capability_areas_planned="Analytics",
            customer_goals="Cut onboarding time in half",
            pain_points="Manual reconciliation",
        ),
        **HTMX,
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.account_strategy == "Expand from payments into analytics"
    assert account.capability_areas_in_use == ["Payments", "Fraud detection"]
    assert account.capability_areas_planned == ["Analytics"]
    assert account.customer_goals == "Cut onboarding time in half"
    assert account.pain_points == "Manual reconciliation"
    assert "Fraud detection" in response.content.decode()


def test_cancel_brings_the_section_back_as_it_reads(cast):
    response = client_for(cast.ae).get(f"/accounts/{cast.owned_account.pk}/sections/plan/", **HTMX)
    assert response.status_code == 200
    assert 'id="account-plan"' in response.content.decode()
    assert "<form" not in response.content.decode()


def test_an_unknown_section_is_not_found(cast):
    assert client_for(cast.ae).get(f"/accounts/{cast.owned_account.pk}/sections/secrets/edit/").status_code == 404


# Who may not edit


def test_the_viewer_is_refused(cast):
    account = cast.owned_account
    client = client_for(cast.viewer)
    assert client.get(figures_url(account), **HTMX).status_code == 403
    assert client.post(figures_url(account), figures_form(account, arr="1"), **HTMX).status_code == 403
    account.refresh_from_db()
    assert account.arr == Decimal("480000")


def test_a_sponsor_is_refused(cast):
    account = cast.sponsored_account
    response = client_for(cast.sponsor).post(plan_url(account), plan_form(account, pain_points="x"), **HTMX)
    assert response.status_code == 403


def test_another_account_executive_cannot_reach_the_account(cast):
    # Like the account page itself, an account you may not see is not found rather than forbidden.
    account = cast.owned_account
    response = client_for(cast.outsider_ae).post(figures_url(account), figures_form(account, arr="1"), **HTMX)
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.arr == Decimal("480000")


# Without JavaScript


def test_without_htmx_the_edit_is_a_page_and_saving_redirects_to_the_account(cast):
    account = cast.owned_account
    client = client_for(cast.ae)
    page = client.get(figures_url(account))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    response = client.post(figures_url(account), figures_form(account, arr="510000"))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/#overview"


# Contacts


def test_the_account_executive_edits_a_contact_in_place(cast):
    boss = ContactFactory(account=cast.owned_account, first_name="Grace", last_name="Hopper")
    contact = ContactFactory(account=cast.owned_account)
    response = client_for(cast.ae).post(
        contact_url(contact),
        contact_form(
            contact,
            seniority=Seniority.VP,
            persona="functional_vp",
            buying_role=BuyingRole.CHAMPION,
            support=Support.MENTOR,
            influence="high",
            decision_orientation="technical",
            reports_to=boss.pk,
        ),
        **HTMX,
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.seniority == Seniority.VP
    assert contact.persona == "functional_vp"
    assert contact.buying_role == BuyingRole.CHAMPION
    assert contact.support == Support.MENTOR
    assert contact.influence == "high"
    assert contact.decision_orientation == "technical"
    assert contact.reports_to == boss
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="contact-{contact.pk}"')
    assert "Grace Hopper" in content
    assert contact.history.order_by("-history_date", "-history_id").first().history_user == cast.ae


def test_a_contact_cannot_report_to_someone_at_another_account(cast):
    stranger = ContactFactory(account=cast.other_account)
    contact = ContactFactory(account=cast.owned_account)
    response = client_for(cast.ae).post(contact_url(contact), contact_form(contact, reports_to=stranger.pk), **HTMX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    contact.refresh_from_db()
    assert contact.reports_to is None


def test_the_reports_to_choices_are_the_colleagues_at_the_same_account(cast):
    colleague = ContactFactory(account=cast.owned_account, last_name="Colleague")
    ContactFactory(account=cast.other_account, last_name="Stranger")
    contact = ContactFactory(account=cast.owned_account, last_name="Self")
    content = client_for(cast.ae).get(contact_url(contact), **HTMX).content.decode()
    assert f'value="{colleague.pk}"' in content
    assert "Stranger" not in content
    assert f'<option value="{contact.pk}"' not in content


def test_a_stale_contact_edit_is_refused(cast):
    contact = ContactFactory(account=cast.owned_account)
    stale = contact_form(contact, support=Support.OPPONENT)
    client_for(cast.owner).post(contact_url(contact), contact_form(contact, support=Support.SUPPORTER), **HTMX)
    response = client_for(cast.ae).post(contact_url(contact), stale, **HTMX)
    assert response.status_code == 409
    assert "Someone else changed this contact" in response.content.decode()
    contact.refresh_from_db()
    assert contact.support == Support.SUPPORTER


def test_an_unknown_support_value_is_refused(cast):
    contact = ContactFactory(account=cast.owned_account)
    response = client_for(cast.ae).post(contact_url(contact), contact_form(contact, support="fan"), **HTMX)
    assert response.status_code == 422


def test_the_viewer_cannot_edit_a_contact(cast):
    contact = ContactFactory(account=cast.owned_account)
    response = client_for(cast.viewer).post(contact_url(contact), contact_form(contact, support="opponent"), **HTMX)
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.support == Support.NEUTRAL


def test_a_contact_is_not_found_under_another_account(cast):
    contact = ContactFactory(account=cast.other_account)
    url = f"/accounts/{cast.owned_account.pk}/contacts/{contact.pk}/edit/"
    assert client_for(cast.ae).get(url, **HTMX).status_code == 404


def test_an_account_with_many_contacts_shows_an_edit_button_per_contact(cast):
    contacts = [ContactFactory(account=cast.owned_account) for _ in range(3)]
    content = client_for(cast.ae).get(f"/accounts/{cast.owned_account.pk}/").content.decode()
    for contact in contacts:
        assert f'hx-get="{contact_url(contact)}"' in content


def test_a_refused_edit_leaves_the_account_untouched(cast):
    before = Account.objects.get(pk=cast.owned_account.pk).updated_at
    client_for(cast.viewer).post(plan_url(cast.owned_account), plan_form(cast.owned_account, pain_points="x"), **HTMX)
    assert Account.objects.get(pk=cast.owned_account.pk).updated_at == before
