"""The account page's Outcomes and Advocates sections, edited in place.

Each form swaps in (GET) where its button was; a save goes through the service and answers with the whole
section again (htmx retargets to it); a form with errors (422) or a stale edit (409) comes back as the form.
Without JavaScript the same addresses serve a page with the form and redirect to the account after saving.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import retarget

from execsponsor.access.rules import can
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.customers import selectors, selectors_outcomes, services_outcomes
from execsponsor.customers.forms_outcomes import (
    AdvocacyActivityForm,
    AdvocateEditForm,
    AdvocateNewForm,
    OutcomeEditForm,
    OutcomeNewForm,
)
from execsponsor.customers.models import Account


def _visible_account(request, pk: int) -> Account:
    try:
        return selectors.account_get(user=request.user, account_id=pk)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None


def _recordable_account(request, pk: int) -> Account:
    account = _visible_account(request, pk)
    services_outcomes.ensure_can_record_outcomes(by=request.user, account=account)
    return account


def outcomes_context(request, account: Account) -> dict:
    return {
        "account": account,
        "outcomes": selectors_outcomes.account_outcomes(account),
        "can_record": can(request.user, "execsponsor.record_outcomes", account),
    }


def advocates_context(request, account: Account) -> dict:
    return {
        "account": account,
        "advocates": selectors_outcomes.account_advocates(account),
        "can_record": can(request.user, "execsponsor.record_outcomes", account),
        "could_advocate": selectors_outcomes.contacts_who_could_advocate(account).exists(),
    }


SECTIONS = {
    "outcomes": ("customers/outcomes_section.html", outcomes_context),
    "advocates": ("customers/advocates_section.html", advocates_context),
}


def _section_answer(request, account: Account, section: str):
    """After a save: the section again (htmx), or back to the account page."""
    if not request.htmx:
        return redirect(f"{account.get_absolute_url()}#{section}")
    template, context = SECTIONS[section]
    return retarget(render(request, template, context(request, account)), f"#{section}")


def _form_answer(request, account, form, *, section, template, title, status=200, conflict=False, **extra):
    context = {"account": account, "form": form, "conflict": conflict, "section": section, "title": title, **extra}
    if request.htmx:
        return render(request, template, context, status=status)
    context["form_template"] = template
    return render(request, "customers/account_edit_page.html", {"nav": "accounts", **context}, status=status)


@require_GET
def outcomes_section(request, pk: int):
    account = _visible_account(request, pk)
    if not request.htmx:
        return redirect(f"{account.get_absolute_url()}#outcomes")
    return render(request, "customers/outcomes_section.html", outcomes_context(request, account))


@require_GET
def advocates_section(request, pk: int):
    account = _visible_account(request, pk)
    if not request.htmx:
        return redirect(f"{account.get_absolute_url()}#advocates")
    return render(request, "customers/advocates_section.html", advocates_context(request, account))


OUTCOME_FORM = "customers/outcome_form.html"
ADVOCATE_FORM = "customers/advocate_form.html"


@require_http_methods(["GET", "POST"])
def outcome_new(request, pk: int):
    account = _recordable_account(request, pk)
    form = OutcomeNewForm(request.POST if request.method == "POST" else None)
    answer = {"section": "outcomes", "template": OUTCOME_FORM, "title": "New outcome"}
    if request.method == "GET":
        return _form_answer(request, account, form, **answer)
    if not form.is_valid():
        return _form_answer(request, account, form, status=422, **answer)
    try:
        services_outcomes.outcome_create(by=request.user, account=account, fields=form.fields_for_service())
    except InvalidInput as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_answer(request, account, form, status=422, **answer)
    return _section_answer(request, account, "outcomes")


@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk: int, outcome_pk: int):
    account = _recordable_account(request, pk)
    outcome = selectors_outcomes.outcome_get(user=request.user, outcome_id=outcome_pk, account_id=account.pk)
    form = OutcomeEditForm.for_outcome(outcome, data=request.POST if request.method == "POST" else None)
    answer = {"section": "outcomes", "template": OUTCOME_FORM, "title": outcome.title, "outcome": outcome}
    if request.method == "GET":
        return _form_answer(request, account, form, **answer)
    if not form.is_valid():
        return _form_answer(request, account, form, status=422, **answer)
    try:
        services_outcomes.outcome_update(
            by=request.user, outcome=outcome, changes=form.changes(), expected_updated_at=form.cleaned_data["version"]
        )
    except ConcurrentEdit:
        return _form_answer(request, account, form, status=409, conflict=True, **answer)
    except InvalidInput as exc:
        form.add_service_error(exc.field, exc.message)
        return _form_answer(request, account, form, status=422, **answer)
    return _section_answer(request, account, "outcomes")


@require_http_methods(["GET", "POST"])
def advocate_new(request, pk: int):
    account = _recordable_account(request, pk)
    form = AdvocateNewForm.for_account(account, data=request.POST if request.method == "POST" else None)
    answer = {"section": "advocates", "template": ADVOCATE_FORM, "title": "New advocate"}
    if request.method == "GET":
        return _form_answer(request, account, form, **answer)
    if not form.is_valid():
        return _form_answer(request, account, form, status=422, **answer)
    try:
        services_outcomes.advocate_create(
            by=request.user, contact=form.cleaned_data["contact"], fields=form.fields_for_service()
        )
    except InvalidInput as exc:
        field = {"contact_id": "contact"}.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        return _form_answer(request, account, form, status=422, **answer)
    return _section_answer(request, account, "advocates")


@require_http_methods(["GET", "POST"])
def advocate_edit(request, pk: int, advocate_pk: int):
    account = _recordable_account(request, pk)
    advocate = selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate_pk, account_id=account.pk)
    form = AdvocateEditForm.for_advocate(advocate, data=request.POST if request.method == "POST" else None)
    answer = {"section": "advocates", "template": ADVOCATE_FORM, "title": str(advocate.contact), "advocate": advocate}
    if request.method == "GET":
        return _form_answer(request, account, form, **answer)
    if not form.is_valid():
        return _form_answer(request, account, form, status=422, **answer)
    try:
        services_outcomes.advocate_update(
            by=request.user, advocate=advocate, changes=form.changes(), expected_updated_at=form.cleaned_data["version"]
        )
    except ConcurrentEdit:
        return _form_answer(request, account, form, status=409, conflict=True, **answer)
    except InvalidInput as exc:
        form.add_service_error(exc.field, exc.message)
        return _form_answer(request, account, form, status=422, **answer)
    return _section_answer(request, account, "advocates")


@require_http_methods(["GET", "POST"])
def advocacy_activity_new(request, pk: int, advocate_pk: int):
    account = _recordable_account(request, pk)
    advocate = selectors_outcomes.advocate_get(user=request.user, advocate_id=advocate_pk, account_id=account.pk)
    form = AdvocacyActivityForm.for_advocate(advocate, data=request.POST if request.method == "POST" else None)
    title = f"What {advocate.contact} did"
    answer = {"section": "advocates", "template": ADVOCATE_FORM, "title": title, "advocate": advocate, "activity": True}
    if request.method == "GET":
        return _form_answer(request, account, form, **answer)
    if not form.is_valid():
        return _form_answer(request, account, form, status=422, **answer)
    try:
        services_outcomes.advocacy_activity_record(by=request.user, advocate=advocate, **form.cleaned_data)
    except InvalidInput as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _form_answer(request, account, form, status=422, **answer)
    return _section_answer(request, account, "advocates")
