"""The accounts list and the account page, which compose customers' accounts with the program's sponsorships,
the engagement timeline and health (home/selectors_accounts.py). The account page's own sections (figures,
plan, contacts, outcomes, advocates) are edited in place by customers' views."""

from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from execsponsor.access.rules import can
from execsponsor.customers import selectors as customer_selectors
from execsponsor.customers.models import Account, HealthBand, Segment
from execsponsor.customers.views_outcomes import advocates_context, outcomes_context
from execsponsor.home import selectors_accounts
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
            "sort": valid.get("sort") or customer_selectors.DEFAULT_SORT,
            "page": valid.get("page") or 1,
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("q", "segment", "owner", "health", "program"))


def account_list(request):
    form = AccountFilterForm(request.GET)
    arguments = form.selector_arguments()
    page = selectors_accounts.account_list(user=request.user, **arguments)
    context = {
        "nav": "accounts",
        "form": form,
        "owner_name": customer_selectors.account_owner_name(user=request.user, owner_id=arguments["owner_id"]),
        "page": page,
        "sort": arguments["sort"],
        "sort_headers": _sort_headers(arguments["sort"]),
    }
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "accounts/account_list_results.html" if partial else "accounts/account_list.html"
    response = render(request, template, context)
    if partial:
        # The address bar shows only the filters in use, so a copied link stays short and readable.
        response = push_url(response, _clean_list_url(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


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
        overview = selectors_accounts.account_overview(
            user=request.user, account_id=pk, engagements_page=engagements_page
        )
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None
    account = overview.account
    can_edit = can(request.user, "execsponsor.change_account_records", account)
    response = render(
        request,
        "accounts/account_detail.html",
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
        account, engagements = selectors_accounts.account_engagements(user=request.user, account_id=pk, page=page)
    except Account.DoesNotExist:
        raise Http404("No such account, or it is not yours to see") from None
    response = render(
        request,
        "accounts/account_engagement_items.html",
        {"account": account, "engagements": engagements, "appended": True},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _positive_int(raw: str | None, default: int = 1) -> int:
    try:
        return min(max(int(raw), 1), LAST_PAGE) if raw else default
    except ValueError:
        return default
