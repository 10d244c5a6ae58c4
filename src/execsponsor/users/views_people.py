"""The People page: everyone with role, status and last sign-in; invite, change a role, deactivate (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import DomainError
from execsponsor.users import selectors, services
from execsponsor.users.forms import InviteForm
from execsponsor.users.invitations import MailNotSent
from execsponsor.users.models import Role, User


def _base_url(request) -> str:
    # Links in emails point at the address the admin is using, which is right behind a proxy too.
    return request.build_absolute_uri("/")


@permission_required("execsponsor.manage_users")
def people_list(request):
    search = request.GET.get("q", "")[:100]
    role = request.GET.get("role", "")
    context = {
        "nav": "people",
        "people": selectors.people_list(search=search, role=role),
        "roles": Role.choices,
        "search": search,
        "role": role,
        "invite_form": InviteForm(),
    }
    return render(request, "users/people_list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("execsponsor.manage_users")
def person_invite_new(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(by=request.user, base_url=_base_url(request), **form.cleaned_data)
        except MailNotSent as exc:
            return _refused(request, exc)  # the person is added; the list offers to invite them again
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Invited {user.email}: they get an email with a link to set a password.")
            return redirect("people")
    status = 422 if form.errors else 200
    return render(request, "users/person_invite.html", {"nav": "people", "form": form}, status=status)


def _done(request, message: str):
    messages.success(request, message)
    return redirect("people")


def _refused(request, exc: DomainError):
    messages.error(request, exc.message)
    return redirect("people")


@require_POST
@permission_required("execsponsor.manage_users")
def person_role(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    try:
        person = services.user_role_change(user=person, role=request.POST.get("role", ""), by=request.user)
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, f"{person} is now {person.get_role_display()}.")


@require_POST
@permission_required("execsponsor.manage_users")
def person_deactivate(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    try:
        services.user_deactivate(user=person, by=request.user)
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, f"{person} is deactivated: they can no longer sign in or use API tokens.")


@require_POST
@permission_required("execsponsor.manage_users")
def person_reactivate(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    try:
        services.user_reactivate(user=person, by=request.user)
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, f"{person} is active again.")


@require_POST
@permission_required("execsponsor.manage_users")
def people_invite(request):
    """Send invitations to the people ticked on the list (or the one whose button was pressed)."""
    ids = [value for value in request.POST.getlist("person") if value.isdigit()]
    if not ids:
        messages.error(request, "Tick the people to invite first.")
        return redirect("people")
    people = User.objects.filter(pk__in=ids).order_by("first_name", "last_name")
    try:
        sent, skipped = services.invitations_send(users=people, by=request.user, base_url=_base_url(request))
    except DomainError as exc:
        return _refused(request, exc)
    if sent:
        messages.success(request, f"Sent {sent} invitation{'s' if sent != 1 else ''}.")
    for reason in skipped:
        messages.warning(request, reason)
    return redirect("people")
