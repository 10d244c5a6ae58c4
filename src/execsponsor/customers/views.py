from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from execsponsor.access.rules import can
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.customers import selectors, services
from execsponsor.customers.forms import AccountFiguresForm, AccountPlanForm, ContactProfileForm
from execsponsor.customers.models import Account, Contact


def owner_options(request):
    """The owner picker's suggestions: owners the user may filter by whose name contains what was typed."""
    search = request.GET.get("owner_q", "")[:100]
    owners, more = selectors.account_owner_choices(user=request.user, search=search)
    return render(request, "customers/owner_options.html", {"owners": owners, "more": more, "search": search})


# Edit in place: each section of the account page, and each contact row, swaps in its form (GET), saves through
# the service (POST) and answers with the section again; a form with errors (422) or a stale edit (409) comes
# back as the form. Without JavaScript the same addresses serve a page with the form, and redirect after saving.

ACCOUNT_SECTIONS = {
    "figures": (AccountFiguresForm, "customers/account_section_figures.html", "Account"),
    "plan": (AccountPlanForm, "customers/account_section_plan.html", "Account strategy"),
}


def _section(name: str):
    try:
        return ACCOUNT_SECTIONS[name]
    except KeyError:
        raise Http404("No such section of the account page") from None


def _visible_account(request, pk: int) -> Account:
    try:
        return selectors.account_get(user=request.user, account_id=pk)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None


def _editable_account(request, pk: int) -> Account:
    account = _visible_account(request, pk)
    services.ensure_can_change_account_records(by=request.user, account=account)
    return account


def _section_context(request, account: Account, section: str) -> dict:
    renewal_in_days = (account.renewal_date - timezone.localdate()).days if account.renewal_date else None
    return {
        "account": account,
        "section": section,
        "can_edit": can(request.user, "execsponsor.change_account_records", account),
        "renewal_in_days": renewal_in_days,
    }


@require_GET
def account_section(request, pk: int, section: str):
    """One section as it reads (what Cancel brings back)."""
    template = _section(section)[1]
    account = _visible_account(request, pk)
    if not request.htmx:
        return redirect(account)
    return render(request, template, _section_context(request, account, section))


@require_http_methods(["GET", "POST"])
def account_section_edit(request, pk: int, section: str):
    form_class, template, title = _section(section)
    account = _editable_account(request, pk)
    form = form_class.for_account(account, by=request.user, data=request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _section_form(request, account, section, form, title=title)
    if not form.is_valid():
        return _section_form(request, account, section, form, title=title, status=422)
    try:
        services.account_update(
            account=account, by=request.user, changes=form.changes(), expected_updated_at=form.cleaned_data["version"]
        )
    except ConcurrentEdit:
        return _section_form(request, account, section, form, title=title, status=409, conflict=True)
    except InvalidInput as exc:
        form.add_service_error(exc.field, exc.message)
        return _section_form(request, account, section, form, title=title, status=422)
    account = selectors.account_get(user=request.user, account_id=pk)
    if not request.htmx:
        return redirect(f"{account.get_absolute_url()}#overview")
    context = {
        **_section_context(request, account, section),
        "section_template": template,
        "history": selectors.account_history(account),
    }
    return render(request, "customers/account_section_saved.html", context)


def _section_form(request, account, section, form, *, title, status=200, conflict=False):
    context = {**_section_context(request, account, section), "form": form, "title": title, "conflict": conflict}
    if request.htmx:
        return render(request, "customers/account_section_form.html", context, status=status)
    context["form_template"] = "customers/account_section_form.html"
    return render(request, "customers/account_edit_page.html", {"nav": "accounts", **context}, status=status)


def _visible_contact(request, pk: int, contact_pk: int) -> Contact:
    try:
        return selectors.contact_get(user=request.user, account_id=pk, contact_id=contact_pk)
    except Contact.DoesNotExist:
        raise Http404("No such contact, or it is not yours to see") from None


@require_GET
def contact_row(request, pk: int, contact_pk: int):
    """One contact's row as it reads (what Cancel brings back)."""
    contact = _visible_contact(request, pk, contact_pk)
    if not request.htmx:
        return redirect(f"{contact.account.get_absolute_url()}#contacts")
    return _contact_row(request, contact)


def _contact_row(request, contact: Contact):
    can_edit = can(request.user, "execsponsor.change_account_records", contact.account)
    context = {"contact": contact, "account": contact.account, "can_edit": can_edit}
    return render(request, "customers/contact_row.html", context)


@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int, contact_pk: int):
    contact = _visible_contact(request, pk, contact_pk)
    services.ensure_can_change_account_records(by=request.user, account=contact.account)
    form = ContactProfileForm.for_contact(contact, data=request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _contact_form(request, contact, form)
    if not form.is_valid():
        return _contact_form(request, contact, form, status=422)
    try:
        services.contact_update(
            contact=contact, by=request.user, changes=form.changes(), expected_updated_at=form.cleaned_data["version"]
        )
    except ConcurrentEdit:
        return _contact_form(request, contact, form, status=409, conflict=True)
    except InvalidInput as exc:
        form.add_service_error(exc.field, exc.message)
        return _contact_form(request, contact, form, status=422)
    if not request.htmx:
        return redirect(f"{contact.account.get_absolute_url()}#contacts")
    return _contact_row(request, _visible_contact(request, pk, contact_pk))


def _contact_form(request, contact, form, *, status=200, conflict=False):
    context = {"contact": contact, "account": contact.account, "form": form, "conflict": conflict}
    template = "customers/contact_form_row.html" if request.htmx else "customers/contact_edit_page.html"
    return render(request, template, {"nav": "accounts", **context}, status=status)
