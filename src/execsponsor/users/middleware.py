"""Every page needs a signed-in user, except sign-in itself, static files and the API (token auth); every API
error is a JSON answer."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

OPEN_PREFIXES = ("/login/", "/static/", "/api/", "/healthz", "/admin/login/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
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
