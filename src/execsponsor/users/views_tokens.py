"""The API tokens page: list your tokens, create one (its secret shown once), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from execsponsor.common.errors import DomainError
from execsponsor.users import services
from execsponsor.users.models import ApiToken


def _page(request, *, status: int = 200, **context):
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    return render(request, "users/token_list.html", {"tokens": tokens, **context}, status=status)


@require_http_methods(["GET", "POST"])
def token_list(request):
    if request.method == "GET":
        return _page(request)
    name = request.POST.get("name", "")
    try:
        token, raw = services.api_token_create(user=request.user, name=name, by=request.user)
    except DomainError as exc:
        return _page(request, status=422, error=exc.message, name=name)
    # Rendered, not redirected: the secret exists only in this response.
    response = _page(request, status=201, new_token=token, raw_token=raw)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, f"Revoked the token “{token.name}”. Requests that carry it are refused from now on.")
    return redirect("users:token_list")
