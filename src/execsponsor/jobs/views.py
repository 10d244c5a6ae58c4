"""The Jobs page (admins): each background job's schedule and latest run, and the messages that failed."""

from __future__ import annotations

from django.shortcuts import render

from execsponsor.access.rules import permission_required
from execsponsor.jobs import selectors
from execsponsor.notify import selectors as notify_selectors


@permission_required("execsponsor.manage_users")
def job_list(request):
    context = {
        "nav": "people",
        "jobs": selectors.job_statuses(),
        "failed": notify_selectors.failed_notifications(),
        "webhooks_failing": notify_selectors.chat_webhooks().exclude(last_error=""),
    }
    return render(request, "jobs/job_list.html", context)
