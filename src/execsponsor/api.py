"""JSON API v1 (django-ninja). Each app contributes a router; auth is a per-user API token or the session."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import DataError, IntegrityError, OperationalError, connection, transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from execsponsor.common.busy import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_busy
from execsponsor.common.errors import ConcurrentEdit, DomainError, InvalidInput, NotPermitted
from execsponsor.users.models import ApiToken

DOMAIN_ERROR_STATUS = {InvalidInput: 422, ConcurrentEdit: 409, NotPermitted: 403}


# last_used_at is for people ("is this token still in use?"), so a minute's precision is plenty, and
# a script's burst of reads then does not turn into a burst of writes.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


# A read must never wait on (or fail for) this bookkeeping write: it waits at most this long for the lock.
LAST_USED_WAIT_MS = 100


def _authenticate(request, raw: str):
    token = ApiToken.lookup(raw)
    if token is None or not token.user.is_active:
        return None
    _note_use(token)
    request.user = token.user
    return token.user


def _note_use(token: ApiToken) -> None:
    """Record the token's last use at most once a minute per process, and skip it when the database is busy.

    The cache key keeps a burst of requests from all trying; the short lock wait keeps a read from hanging
    behind an import's batch (SQLite's busy_timeout is 10 s); a missed update is caught up on a later request.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    key = f"api-token-used:{token.key_hash}"
    if not cache.add(key, 1, timeout=int(LAST_USED_PRECISION.total_seconds())):
        return
    try:
        with _short_lock_wait(), transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except OperationalError:
        cache.delete(key)


@contextmanager
def _short_lock_wait():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {LAST_USED_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return _authenticate(request, token)


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _authenticate(request, key or "")


class SignedInSession(SessionAuth):
    """The browser's session. Its writes need the CSRF token, but only a request that has a signed-in session
    is asked for one: a script with no token, a wrong or a revoked one hears 401, not "CSRF check failed"."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class LocalSwagger(Swagger):
    """Swagger UI from the project's static files (npm's swagger-ui-dist, copied by `make setup`), never from a
    CDN: the docs work where browsers reach only this server, and under a self-only Content-Security-Policy."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": self.settings, "api": api, "add_csrf": True}
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="ExecSponsor API",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), HeaderToken(), SignedInSession()],
    docs_url="/docs",
    docs=LocalSwagger(settings={"layout": "BaseLayout", "deepLinking": True}),
)


def _where(loc) -> str:
    # ("body", "payload", "segment") -> "segment"; ("query", "limit") -> "limit"
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload", "filters", "page")]
    return ".".join(parts) or "request body"


def _validation_message(errors: list[dict]) -> str:
    return "; ".join(f"{_where(error.get('loc', ()))}: {error.get('msg', 'is not valid')}" for error in errors[:5])


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    detail = [{"field": _where(e.get("loc", ())), "message": e.get("msg")} for e in exc.errors]
    return api.create_response(request, {"message": _validation_message(exc.errors), "detail": detail}, status=422)


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    status = next((code for kind, code in DOMAIN_ERROR_STATUS.items() if isinstance(exc, kind)), 400)
    return api.create_response(request, {"message": exc.message, "field": exc.field}, status=status)


@api.exception_handler(ModelValidationError)
def on_model_validation_error(request, exc):
    return api.create_response(request, {"message": " ".join(exc.messages)}, status=422)


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc):
    # A safety net: services check the rules first and say which one broke.
    return api.create_response(
        request, {"message": "The change conflicts with existing data or breaks a data rule"}, status=409
    )


@api.exception_handler(DataError)
def on_data_error(request, exc):
    return api.create_response(request, {"message": "A value is out of range for its field"}, status=422)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"message": exc.message}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request, {"message": "Authentication required: send 'Authorization: Bearer <token>'"}, status=401
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"message": str(exc) or "You may not do that"}, status=403)


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request, {"message": f"The request body is too large: at most {limit} bytes are accepted"}, status=413
    )


@api.exception_handler(OperationalError)
def on_operational_error(request, exc):
    if not is_busy(exc):
        raise exc
    response = api.create_response(request, {"message": BUSY_MESSAGE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"message": "Not found"}, status=404)


def _register_routers() -> None:
    from execsponsor.customers.api import router as customers_router
    from execsponsor.customers.api_outcomes import router as outcomes_router
    from execsponsor.engagements.api import router as engagements_router
    from execsponsor.insights.api import router as insights_router
    from execsponsor.insights.api_measures import router as measures_router
    from execsponsor.notify.api import router as notify_router
    from execsponsor.playbooks.api import router as playbooks_router
    from execsponsor.program.api import router as program_router
    from execsponsor.program.api_reviews import router as reviews_router
    from execsponsor.program.executives.api import router as users_router
    from execsponsor.program.matching.api import router as matching_router
    from execsponsor.signals.api import router as signals_router

    api.add_router("/", customers_router)
    api.add_router("/", outcomes_router)
    api.add_router("/", users_router)
    api.add_router("/", program_router)
    api.add_router("/", engagements_router)
    api.add_router("/", matching_router)
    api.add_router("/", reviews_router)
    api.add_router("/", insights_router)
    api.add_router("/", measures_router)
    api.add_router("/", playbooks_router)
    api.add_router("/", notify_router)
    api.add_router("/", signals_router)
    api.add_router("/", _unknown_paths)  # last: only what no other route matched


_unknown_paths = Router()


@_unknown_paths.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, auth=None
)
def unknown_endpoint(request, rest: str):
    return api.create_response(
        request, {"message": f"There is no API endpoint /api/v1/{rest}; see /api/v1/docs"}, status=404
    )


_register_routers()
