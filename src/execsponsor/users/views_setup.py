"""First run and passwords: the setup page that makes the first admin, invitations, and password reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from execsponsor.common.errors import DomainError
from execsponsor.users import services
from execsponsor.users.forms import FirstAdminForm
from execsponsor.users.invitations import invitation_token
from execsponsor.users.models import User

# Several backends are configured (axes, rules); a fresh sign-in names the one that holds passwords.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_not_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Works only while there is nobody: then it makes the first admin and signs them in."""
    if User.objects.exists():
        return redirect("login")
    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.first_admin_create(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("login")
        login(request, user, backend=PASSWORD_BACKEND)
        messages.success(request, f"Welcome, {user.first_name}. You are the admin: invite your program owner next.")
        return redirect("people")
    return render(request, "registration/setup.html", {"form": form}, status=422 if form.errors else 200)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation link: choose a password (Django's reset confirmation, with our own token salt)."""

    template_name = "registration/invitation_accept.html"
    token_generator = invitation_token
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with your username and new password.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    # Django's form logs a mail server failure instead of raising: the page answers the same either way.


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
