"""JSON API v1 (django-ninja). Each app contributes a router; auth is a per-user API token or the session."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from execsponsor.users.models import ApiToken


def _authenticate(request, raw: str):
    token = ApiToken.lookup(raw)
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=_now())
    request.user = token.user
    return token.user


def _now():
    from django.utils import timezone

    return timezone.now()


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return _authenticate(request, token)


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _authenticate(request, key or "")


api = NinjaAPI(
    title="ExecSponsor API",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), HeaderToken(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"message": "Invalid input", "detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request, {"message": "Authentication required: send 'Authorization: Bearer <token>'"}, status=401
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"message": str(exc) or "You may not do that"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"message": "Not found"}, status=404)


def _register_routers() -> None:
    from execsponsor.customers.api import router as customers_router
    from execsponsor.engagements.api import router as engagements_router
    from execsponsor.program.api import router as program_router
    from execsponsor.users.api import router as users_router

    api.add_router("/", customers_router)
    api.add_router("/", users_router)
    api.add_router("/", program_router)
    api.add_router("/", engagements_router)


_register_routers()
