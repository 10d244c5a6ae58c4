"""The relationship map page and its edit in place.

Each person on the map swaps in their form (GET), saves through the customers services (POST) and answers with
their row again, and the chart and summary cards out of band; a form with errors (422) or a stale edit (409)
comes back as the form. Without JavaScript the same addresses serve a page with the form and redirect after
saving."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from execsponsor.access.rules import can, require
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.common.querystring import int_param
from execsponsor.customers import services
from execsponsor.customers.models import Account
from execsponsor.insights.forms_relationships import MapContactForm, RelationshipLevelForm
from execsponsor.insights.relationships import our_people_for, relationship_map
from execsponsor.users.models import User


def _map(request, pk: int, *, without: int | None = None):
    try:
        return relationship_map(user=request.user, account_id=pk, without=without)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None


def _member(page, contact_pk: int):
    member = next((m for m in page.contacts if m.contact.pk == contact_pk), None)
    if member is None:
        raise Http404("No such contact at this account")
    return member


def _level_people(request, account: Account) -> list[User]:
    """Whom `request.user` may record a level for: anyone of ours for the account team, else themselves."""
    if can(request.user, "execsponsor.change_account_records", account):
        people = our_people_for(account)
        return people if request.user in people else [*people, request.user]
    return [request.user] if can(request.user, "execsponsor.write") else []


def _person_context(request, page, member, *, can_edit=None, people=None, **extra) -> dict:
    if can_edit is None:
        can_edit = can(request.user, "execsponsor.change_account_records", page.account)
    if people is None:
        people = _level_people(request, page.account)
    mine = {level.user_id for level in member.levels}
    return {
        "map": page,
        "member": member,
        "can_edit": can_edit,
        "level_forms": [
            (level, RelationshipLevelForm.for_pair(level, people=people))
            for level in member.levels
            if can_edit or level.user_id == request.user.pk
        ],
        "new_level_form": RelationshipLevelForm.for_pair(None, people=[p for p in people if p.pk not in mine])
        if people
        else None,
        **extra,
    }


@require_GET
def account_relationships(request, pk: int):
    page = _map(request, pk, without=int_param(request.GET, "without"))
    can_edit = can(request.user, "execsponsor.change_account_records", page.account)
    ours = _level_people(request, page.account)  # once for the page, not once per person
    people = [_person_context(request, page, m, can_edit=can_edit, people=ours) for m in page.contacts]
    context = {"nav": "accounts", "map": page, "can_edit": can_edit, "people": people}
    return render(request, "insights/relationship_map.html", context)


@require_http_methods(["GET", "POST"])
def map_contact_edit(request, pk: int, contact_pk: int):
    page = _map(request, pk)
    member = _member(page, contact_pk)
    contact = member.contact
    services.ensure_can_change_account_records(by=request.user, account=page.account)
    form = MapContactForm.for_contact(contact, data=request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _form(request, page, member, form)
    if not form.is_valid():
        return _form(request, page, member, form, status=422)
    try:
        services.contact_update(
            contact=contact, by=request.user, changes=form.changes(), expected_updated_at=form.cleaned_data["version"]
        )
    except ConcurrentEdit:
        return _form(request, page, member, form, status=409, conflict=True)
    except InvalidInput as exc:
        form.add_service_error(exc.field, exc.message)
        return _form(request, page, member, form, status=422)
    return _saved(request, pk, contact_pk)


def _form(request, page, member, form, *, status=200, conflict=False):
    context = {"map": page, "member": member, "form": form, "conflict": conflict, "account": page.account}
    if request.htmx:
        return render(request, "insights/map_person_form.html", context, status=status)
    return render(request, "insights/map_person_edit_page.html", {"nav": "accounts", **context}, status=status)


def _saved(request, pk: int, contact_pk: int):
    if not request.htmx:
        return redirect(f"{reverse('insights:account_relationships', args=[pk])}#person-{contact_pk}")
    page = _map(request, pk)
    context = _person_context(request, page, _member(page, contact_pk), refresh_overview=True)
    return render(request, "insights/map_person_saved.html", context)


@require_GET
def map_contact_row(request, pk: int, contact_pk: int):
    """One person as they read (what Cancel brings back)."""
    page = _map(request, pk)
    member = _member(page, contact_pk)
    if not request.htmx:
        return redirect(f"{reverse('insights:account_relationships', args=[pk])}#person-{contact_pk}")
    return render(request, "insights/map_person.html", _person_context(request, page, member))


@require_POST
def map_level_set(request, pk: int, contact_pk: int):
    """Record where one of our people stands with this contact, and where we want them."""
    page = _map(request, pk)
    member = _member(page, contact_pk)
    people = _level_people(request, page.account)
    known = {level.user_id: level for level in member.levels}
    form = RelationshipLevelForm(request.POST, people=people)
    if not people:
        require(request.user, "execsponsor.write")
    if form.is_valid():
        person = next(p for p in people if p.pk == form.cleaned_data["person"])
        try:
            services.relationship_level_set(
                by=request.user,
                contact=member.contact,
                person=person,
                current=form.cleaned_data["current"],
                desired=form.cleaned_data["desired"],
                expected_updated_at=form.cleaned_data["version"] if person.pk in known else None,
            )
        except (InvalidInput, ConcurrentEdit) as exc:
            form.add_error(None, exc.message)
        else:
            return _saved(request, pk, contact_pk)
    status = 409 if any("Concurrent" in e for e in form.non_field_errors()) else 422
    context = _person_context(request, page, member, level_error_form=form)
    if not request.htmx:
        return render(request, "insights/map_person_edit_page.html", {"nav": "accounts", **context}, status=status)
    return render(request, "insights/map_person.html", context, status=status)
