"""Our middleware: a new install leads to its setup page; every API error is a JSON answer; ids out of range are
404s; security headers.

That every page needs a signed-in user is Django's own `LoginRequiredMiddleware` (settings.MIDDLEWARE): the
views open to everyone say so with `login_not_required` (sign-in, setup, invitations, password reset,
healthz; the API, which authenticates each request itself).
"""

from __future__ import annotations

import re
from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect

from execsponsor.schemas import MAX_ID

_LONG_NUMBER_SEGMENT = re.compile(r"/(\d{19,})(?=/|$)")
_LONG_NUMBER = re.compile(r"^\s*[-+]?\d{19,}\s*$")

NOT_FOR_SETUP = ("/static/", "/api/", "/healthz", "/setup/")


def _nobody_yet() -> bool:
    from execsponsor.users.models import User

    return not User.objects.exists()


class FirstRunMiddleware:
    """On a new install with nobody in it (the system user is nobody), every page leads to the setup page that
    makes the first admin; the API, health checks and static files answer as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(NOT_FOR_SETUP) and _nobody_yet():
            return redirect("setup")
        return self.get_response(request)


class ApiErrorsAsJsonMiddleware:
    """An API client always gets JSON with a `message`, also for the errors Django answers before or around
    the API's own handlers: a wrong method (405), an unknown version path (404), a body too large (413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._as_json(request, response)
        return response

    @staticmethod
    def _as_json(request, response):
        status = response.status_code
        if status == 405:
            allowed = response.get("Allow", "")
            message = f"{request.method} is not allowed here; use {allowed}" if allowed else "Method not allowed"
        else:
            try:
                message = HTTPStatus(status).phrase
            except ValueError:
                message = "The request failed"
        answer = JsonResponse({"message": message}, status=status)
        if "Allow" in response:
            answer["Allow"] = response["Allow"]
        return answer


def _too_large(number: str) -> bool:
    return abs(int(number)) > MAX_ID


class OutOfRangeIdsMiddleware:
    """An id in the path too large for the database (`/accounts/99999999999999999999/`) names nothing: 404,
    rather than a database driver's overflow error in whichever view (ours or the admin's) receives it.

    Our pages read their query strings with bounds and ignore what is out of range; the Django admin filters
    its lists by any field named in the query string, so there such a number is a 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API validates its own path ids (a 422 that names the parameter).
        on_pages = not request.path.startswith("/api/")
        if on_pages and any(_too_large(number) for number in _LONG_NUMBER_SEGMENT.findall(request.path)):
            raise Http404("No such record")
        if request.path.startswith("/admin/") and any(
            _LONG_NUMBER.match(value) and _too_large(value) for value in request.GET.values()
        ):
            return HttpResponseBadRequest("A number in the address is out of range.", content_type="text/plain")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer (settings ESP_CSP, ESP_PERMISSIONS_POLICY).

    Pages load scripts, styles and images only from this server: no inline script, no style="" attribute,
    no other origin, so an injected tag or attribute cannot run.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(f"{name} {' '.join(values)}" for name, values in settings.ESP_CSP.items())
        self.permissions = ", ".join(f"{feature}=()" for feature in settings.ESP_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
