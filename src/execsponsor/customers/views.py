from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import push_url

from execsponsor.access.rules import can
from execsponsor.common.errors import ConcurrentEdit, InvalidInput
from execsponsor.customers import selectors, services
from execsponsor.customers.forms import AccountFiguresForm, AccountPlanForm, ContactProfileForm
from execsponsor.customers.models import Account, Contact, HealthBand, Segment
from execsponsor.customers.views_outcomes import advocates_context, outcomes_context
from execsponsor.schemas import MAX_ID

# A page number beyond any real timeline; larger ones (up to numbers the database cannot hold) are read as it.
LAST_PAGE = 100_000

SORT_CHOICES = [
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
    ("-arr", "Highest ARR"),
    ("arr", "Lowest ARR"),
    ("health", "Weakest health"),
    ("-health", "Strongest health"),
    ("renewal", "Soonest renewal"),
    ("-renewal", "Latest renewal"),
]

# The list's columns: label, the sort a first click applies (None: not sortable), CSS classes.
ACCOUNT_COLUMNS = [
    ("Account", "name", ""),
    ("Segment", None, "d-none d-md-table-cell"),
    ("Industry", None, "d-none d-xl-table-cell"),
    ("ARR", "-arr", "text-end"),
    ("Health", "health", ""),
    ("Owner", None, "d-none d-md-table-cell"),
    ("CSM", None, "d-none d-xl-table-cell"),
    ("Renewal", "renewal", "d-none d-sm-table-cell"),
    ("Sponsor", None, "d-none d-lg-table-cell"),
]


class AccountFilterForm(forms.Form):
    """The accounts list's GET parameters. A value that does not parse is ignored, not an error."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    segment = forms.ChoiceField(required=False, choices=[("", "All segments"), *Segment.choices])
    # The id of the chosen owner; the page shows a picker that asks `owner_options` for names as you type.
    owner = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, label="Owner (AE)", widget=forms.HiddenInput
    )
    health = forms.ChoiceField(required=False, choices=[("", "Any health"), *HealthBand.choices])
    program = forms.ChoiceField(
        required=False, choices=[("", "All accounts"), ("yes", "In the program"), ("no", "Not in the program")]
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Name, domain or external id", "type": "search", "autocomplete": "off"}
        )

    def selector_arguments(self) -> dict:
        self.is_valid()
        valid = self.cleaned_data
        program = valid.get("program")
        return {
            "search": valid.get("q") or "",
            "segment": valid.get("segment") or "",
            "owner_id": valid.get("owner"),
            "health_band": valid.get("health") or "",
            "in_program": {"yes": True, "no": False}.get(program),
            "sort": valid.get("sort") or selectors.DEFAULT_SORT,
            "page": valid.get("page") or 1,
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("q", "segment", "owner", "health", "program"))


def account_list(request):
    form = AccountFilterForm(request.GET)
    arguments = form.selector_arguments()
    page = selectors.account_list(user=request.user, **arguments)
    context = {
        "nav": "accounts",
        "form": form,
        "owner_name": selectors.account_owner_name(user=request.user, owner_id=arguments["owner_id"]),
        "page": page,
        "sort": arguments["sort"],
        "sort_headers": _sort_headers(arguments["sort"]),
    }
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "customers/account_list_results.html" if partial else "customers/account_list.html"
    response = render(request, template, context)
    if partial:
        # The address bar shows only the filters in use, so a copied link stays short and readable.
        response = push_url(response, _clean_list_url(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


def owner_options(request):
    """The owner picker's suggestions: owners the user may filter by whose name contains what was typed."""
    search = request.GET.get("owner_q", "")[:100]
    owners, more = selectors.account_owner_choices(user=request.user, search=search)
    return render(request, "customers/owner_options.html", {"owners": owners, "more": more, "search": search})


def _clean_list_url(request) -> str:
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        kept = [v for v in values if v.strip() and not (name == "page" and v == "1")]
        if kept:
            query.setlist(name, kept)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _sort_headers(sort: str) -> list[dict]:
    headers = []
    for label, first_sort, css in ACCOUNT_COLUMNS:
        header = {"label": label, "css": css, "next_sort": first_sort, "direction": None}
        if first_sort and sort.lstrip("-") == first_sort.lstrip("-"):
            header["direction"] = "descending" if sort.startswith("-") else "ascending"
            header["next_sort"] = sort[1:] if sort.startswith("-") else f"-{sort}"
        headers.append(header)
    return headers


def account_detail(request, pk: int):
    engagements_page = _positive_int(request.GET.get("engagements_page"))
    if request.htmx and not request.htmx.boosted and "engagements_page" in request.GET:
        return _engagement_timeline_page(request, pk, engagements_page)
    try:
        overview = selectors.account_overview(user=request.user, account_id=pk, engagements_page=engagements_page)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None
    account = overview.account
    can_edit = can(request.user, "execsponsor.change_account_records", account)
    response = render(
        request,
        "customers/account_detail.html",
        {
            "nav": "accounts",
            "overview": overview,
            "account": account,
            "can_edit": can_edit,
            "outcomes_section": outcomes_context(request, account),
            "advocates_section": advocates_context(request, account),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _engagement_timeline_page(request, pk: int, page: int):
    try:
        account, engagements = selectors.account_engagements(user=request.user, account_id=pk, page=page)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None
    response = render(
        request,
        "customers/account_engagement_items.html",
        {"account": account, "engagements": engagements, "appended": True},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _positive_int(raw: str | None, default: int = 1) -> int:
    try:
        return min(max(int(raw), 1), LAST_PAGE) if raw else default
    except ValueError:
        return default


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
