"""Pages for engagements: log one in under a minute, the live "counts" badge, the owner's override,
and the program's going-cold list. Thin: forms parse, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from execsponsor.access.rules import can, require
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import DomainError, NotPermitted
from execsponsor.customers.models import Account
from execsponsor.engagements import cadence as cadence_selectors
from execsponsor.engagements import selectors, services
from execsponsor.engagements.forms import CountsOverrideForm, EngagementLogForm, contact_label, person_label
from execsponsor.engagements.models import RUBRIC_FIELDS
from execsponsor.engagements.rules import rubric_threshold
from execsponsor.users.models import User

PEOPLE_OPTIONS = 20


def _visible_account(user, account_id: int) -> Account:
    account = visible_accounts(user).filter(pk=account_id).first()
    if account is None:
        raise Http404("No such account, or it is not yours to see")
    return account


def _changeable_account(user, account_id: int) -> Account:
    account = _visible_account(user, account_id)
    require(
        user,
        "execsponsor.change_account",
        account,
        message=f"Your role may look at {account.name} but not log engagements on it",
    )
    return account


def _their_people(account: Account, query: str = "") -> list[tuple[str, str]]:
    contacts = account.contacts.order_by("last_name", "first_name")
    if query:
        contacts = contacts.filter(last_name__icontains=query) | contacts.filter(first_name__icontains=query)
    return [(contact_label(c), c.title) for c in contacts[:PEOPLE_OPTIONS]]


def _our_people(query: str = "", *, first: list[User] = ()) -> list[tuple[str, str]]:
    people = User.objects.filter(is_active=True).order_by("last_name", "first_name")
    if query:
        people = people.filter(last_name__icontains=query) | people.filter(first_name__icontains=query)
    chosen = list(dict.fromkeys([*first, *people[:PEOPLE_OPTIONS]]))
    return [(person_label(u), u.title or u.get_role_display()) for u in chosen[:PEOPLE_OPTIONS]]


def _our_team(account: Account) -> list[User]:
    """The people most likely to be in the room: the account's AE and CSM and its live sponsors."""
    team = [account.owner, account.csm]
    team += [s.executive.user for s in account.sponsorships.live().select_related("executive__user")]
    return [person for person in team if person is not None and person.is_active]


def _rubric_badge_context(data) -> dict:
    ticked = sum(1 for name in RUBRIC_FIELDS if data.get(name) in ("on", "true", "True", "1"))
    needed = rubric_threshold()
    return {"ticked": ticked, "needed": needed, "counts": ticked >= needed, "total": len(RUBRIC_FIELDS)}


@require_http_methods(["GET", "POST"])
def engagement_new(request, account_id: int):
    account = _changeable_account(request.user, account_id)
    form = EngagementLogForm(request.POST or None, account=account, by=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                engagement = services.engagement_log(
                    by=request.user,
                    account=account,
                    fields=form.service_fields(),
                    commitments=form.cleaned_data["commitments"],
                )
            except NotPermitted:
                raise
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                verdict = "It counts." if engagement.counts else "It doesn't count yet."
                messages.success(request, f"Logged “{engagement.subject}”. {verdict}")
                return redirect(f"{account.get_absolute_url()}#engagements")
    context = {
        "nav": "accounts",
        "account": account,
        "form": form,
        "their_people": _their_people(account),
        "our_people": _our_people(first=_our_team(account)),
        "rubric": _rubric_badge_context(request.POST if request.method == "POST" else {}),
    }
    return render(request, "engagements/log_form.html", context, status=status)


@require_POST
def rubric_badge(request, account_id: int):
    """The "Counts / Doesn't count yet" badge for the rubric ticked so far (htmx, on every change)."""
    _visible_account(request.user, account_id)
    return render(request, "engagements/counts_badge.html", {"rubric": _rubric_badge_context(request.POST)})


@require_GET
def people_options(request, account_id: int):
    """<option>s for the participant type-ahead; `side` is "theirs" (the account's contacts) or "ours"."""
    account = _visible_account(request.user, account_id)
    query = request.GET.get("q", "")
    if not query:
        # htmx sends the typed value under the input's own name (contact_2, attendee_1, commitment_1_owner …).
        query = next((v for k, v in request.GET.items() if k not in ("side", "q")), "")
    query = " ".join(query.split())[:100]
    words = query.split()
    last_word = words[-1] if words else ""
    side = request.GET.get("side")
    options = _their_people(account, last_word) if side == "theirs" else _our_people(last_word)
    return render(request, "engagements/people_options.html", {"options": options})


@require_GET
def engagement_detail(request, pk: int):
    engagement = selectors.engagement_get(user=request.user, engagement_id=pk)
    return render(
        request,
        "engagements/engagement_detail.html",
        {"nav": "accounts", "engagement": engagement, "override_form": _override_form(request.user, engagement)},
    )


def _override_form(user, engagement, data=None) -> CountsOverrideForm | None:
    if not can(user, "execsponsor.run_program"):
        return None
    current = {True: "counts", False: "does_not_count", None: "rubric"}[engagement.counts_override]
    return CountsOverrideForm(data, initial={"decision": current})


@require_POST
def engagement_counts(request, pk: int):
    """The program owner's decision on whether an engagement counts, with a reason."""
    engagement = selectors.engagement_get(user=request.user, engagement_id=pk)
    require(request.user, "execsponsor.run_program", to="decide that an engagement counts")
    form = _override_form(request.user, engagement, request.POST)
    if form.is_valid():
        try:
            services.engagement_counts_override(
                by=request.user, engagement=engagement, counts=form.counts(), reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Saved your decision and its reason.")
            return redirect(reverse("engagements:engagement_detail", args=[engagement.pk]))
    context = {"nav": "accounts", "engagement": engagement, "override_form": form}
    return render(request, "engagements/engagement_detail.html", context, status=400)


@require_GET
def going_cold(request):
    page_number = request.GET.get("page") or 1
    page = cadence_selectors.going_cold_page(user=request.user, page=page_number)
    return render(request, "engagements/going_cold.html", {"nav": "going_cold", "page": page})
