"""Every page needs a signed-in user, except sign-in itself, static files and the API (token auth).

On a new install with nobody in it, every page leads to the setup page that makes the first admin.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

OPEN_PREFIXES = (
    "/login/",
    "/static/",
    "/api/",
    "/healthz",
    "/admin/login/",
    "/setup/",
    "/welcome/",
    "/password/reset/",
)
NOT_FOR_SETUP = ("/static/", "/api/", "/healthz", "/setup/")


def _nobody_yet() -> bool:
    from execsponsor.users.models import User

    return not User.objects.exists()


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            if not request.path.startswith(NOT_FOR_SETUP) and _nobody_yet():
                return redirect("setup")
            if not request.path.startswith(OPEN_PREFIXES):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
