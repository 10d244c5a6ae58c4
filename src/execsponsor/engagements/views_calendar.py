"""Calendar import on the web (upload → preview → commit or discard) and the meetings waiting for a rubric.

The program owner and admins import any calendar; AE, CSM and sponsors import their own, and only meetings on
accounts they may change are written (the rest are listed as skipped). The uploaded file waits in
DATA_DIR/calendar-uploads between the preview and the commit, named by a random token kept in the session."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import DomainError
from execsponsor.engagements.calendar_services import (
    CalendarFileError,
    calendar_import,
    default_window,
    engagement_rubric_fill,
)
from execsponsor.engagements.forms_calendar import CalendarUploadForm, RubricForm
from execsponsor.engagements.selectors import engagement_get, engagements_awaiting_rubric

SESSION_KEY = "calendar_uploads"
UPLOAD_LIFETIME = 24 * 3600
SHOWN = 500


def _upload_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "calendar-uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _forget_old_uploads(directory: Path) -> None:
    cutoff = time.time() - UPLOAD_LIFETIME
    for stale in directory.glob("*.ics"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


def _pending(request, token: str) -> tuple[dict, Path]:
    """The upload `token` names, if this session made it; 404 otherwise (tokens of others are not guessable)."""
    upload = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_dir() / f"{token}.ics"
    if upload is None or not token.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        raise Http404("This upload has expired; upload the file again.")
    return upload, path


def _window_of(upload: dict) -> tuple[dt.datetime | None, dt.datetime | None]:
    return tuple(dt.datetime.fromisoformat(upload[k]) if upload.get(k) else None for k in ("since", "until"))


def _upload_page(request, form, *, status=200):
    since, until = default_window()
    context = {"nav": "import", "form": form, "default_since": since, "default_until": until}
    return render(request, "engagements/calendar_upload.html", context, status=status)


@permission_required("execsponsor.import_calendar")
def calendar_upload(request):
    if request.method != "POST":
        return _upload_page(request, CalendarUploadForm())
    form = CalendarUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=422)
    upload = form.cleaned_data["file"]
    content = upload.read()
    since, until = form.window()
    try:
        # A first dry run refuses an unreadable file on the upload page itself, with the reason.
        calendar_import(content=content, file_name=upload.name, by=request.user, since=since, until=until, dry_run=True)
    except CalendarFileError as error:
        form.add_error("file", str(error))
        return _upload_page(request, form, status=422)
    except DomainError as error:
        form.add_error(None, error.message)
        return _upload_page(request, form, status=403)
    directory = _upload_dir()
    _forget_old_uploads(directory)
    token = secrets.token_urlsafe(16)
    (directory / f"{token}.ics").write_bytes(content)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {
        "name": upload.name[:255],
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    request.session[SESSION_KEY] = uploads
    return redirect("engagements_calendar:preview", token=token)


@permission_required("execsponsor.import_calendar")
def calendar_preview(request, token: str):
    upload, path = _pending(request, token)
    since, until = _window_of(upload)
    try:
        report = calendar_import(
            content=path.read_bytes(), file_name=upload["name"], by=request.user, since=since, until=until, dry_run=True
        )
    except CalendarFileError as error:
        messages.error(request, str(error))
        return redirect("engagements_calendar:upload")
    document = report.as_dict()
    context = {
        "nav": "import",
        "token": token,
        "report": document,
        "meetings": document["meetings"][:SHOWN],
        "more_meetings": max(0, len(document["meetings"]) - SHOWN),
        "skipped_count": sum(entry["occurrences"] for entry in document["skipped"]),
        "to_write": document["created"] + document["updated"],
    }
    return render(request, "engagements/calendar_preview.html", context)


@permission_required("execsponsor.import_calendar")
@require_POST
def calendar_commit(request, token: str):
    upload, path = _pending(request, token)
    since, until = _window_of(upload)
    try:
        report = calendar_import(
            content=path.read_bytes(),
            file_name=upload["name"],
            by=request.user,
            since=since,
            until=until,
            skip_bad_events=True,  # the preview showed the broken events; committing means "import the rest"
            create_contacts=request.POST.getlist("create_contact"),
        )
    except CalendarFileError as error:
        messages.error(request, str(error))
        return redirect("engagements_calendar:upload")
    _discard(request, token, path)
    contacts = f", {report.contacts_created} new contact{'s' if report.contacts_created != 1 else ''}"
    messages.success(
        request,
        f"Imported {upload['name']}: {report.created} meetings created, {report.updated} updated, "
        f"{report.unchanged} unchanged{contacts if report.contacts_created else ''}. "
        "They count once their sponsor has filled in the rubric.",
    )
    return redirect("engagements_calendar:upload")


@permission_required("execsponsor.import_calendar")
@require_POST
def calendar_discard(request, token: str):
    _upload, path = _pending(request, token)
    _discard(request, token, path)
    messages.info(request, "Discarded the upload; nothing was imported.")
    return redirect("engagements_calendar:upload")


def _discard(request, token: str, path: Path) -> None:
    path.unlink(missing_ok=True)
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads


def awaiting_rubric(request):
    engagements = list(engagements_awaiting_rubric(request.user)[:200])
    context = {"nav": "", "engagements": [(e, RubricForm(prefix=f"e{e.pk}")) for e in engagements]}
    return render(request, "engagements/awaiting_rubric.html", context)


@require_POST
def rubric_fill(request, pk: int):
    engagement = engagement_get(user=request.user, engagement_id=pk)
    form = RubricForm(request.POST, prefix=f"e{pk}")
    form.is_valid()  # checkboxes: every answer is valid, a missing one is "no"
    try:
        engagement = engagement_rubric_fill(by=request.user, engagement=engagement, answers=form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("engagements_calendar:awaiting_rubric")
    verdict = "counts" if engagement.counts else "does not count (fewer than two rubric items)"
    messages.success(request, f"Saved the rubric of “{engagement.subject}”: it {verdict}.")
    return redirect("engagements_calendar:awaiting_rubric")
