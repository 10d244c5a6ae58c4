from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from execsponsor.common.widgets import LongSelect
from execsponsor.customers import selectors
from execsponsor.customers.models import Account, HealthBand, Segment
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
    owner = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label="Owner (AE)", widget=LongSelect)
    health = forms.ChoiceField(required=False, choices=[("", "Any health"), *HealthBand.choices])
    program = forms.ChoiceField(
        required=False, choices=[("", "All accounts"), ("yes", "In the program"), ("no", "Not in the program")]
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].widget.options = [("", "Any owner"), *owners]
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select | LongSelect)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
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
    form = AccountFilterForm(request.GET, owners=selectors.account_owner_choices(user=request.user))
    arguments = form.selector_arguments()
    page = selectors.account_list(user=request.user, **arguments)
    context = {
        "nav": "accounts",
        "form": form,
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
    response = render(
        request,
        "customers/account_detail.html",
        {"nav": "accounts", "overview": overview, "account": overview.account},
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
