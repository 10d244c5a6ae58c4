"""A database too busy to answer in time (SQLite's write lock held past busy_timeout) is a 503, never a 500.

The client may simply retry: nothing was written. The API answers JSON, the pages a short HTML page.
"""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse

RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = (
    "The database is busy (a large import or a backup may be writing). Nothing was changed; try again shortly."
)

_BUSY_SIGNS = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock")


def is_busy(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and any(sign in str(error).lower() for sign in _BUSY_SIGNS)


def busy_response(request) -> HttpResponse:
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response: HttpResponse = JsonResponse({"message": BUSY_MESSAGE}, status=503)
    else:
        response = HttpResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Busy · ExecSponsor</title></head><body><h1>One moment, please</h1>"
            f'<p>{BUSY_MESSAGE}</p><p><a href="">Try again</a></p></body></html>',
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    """handler500: the busy database raised outside a view (a middleware saving the session) is a 503 too."""
    import sys

    from django.views.defaults import server_error as default_server_error

    error = sys.exc_info()[1]
    if error is not None and is_busy(error):
        return busy_response(request)
    return default_server_error(request, *args, **kwargs)


class BusyDatabaseMiddleware:
    """Turns a 'database is locked' error raised by a view into a 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_busy(exception):
            return busy_response(request)
        return None
