"""Webhook sources for admins: add one, rotate or revoke its secret, pause it, see its latest deliveries.

A secret is shown once, in the answer to the request that made it; the page never shows it again."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from execsponsor.access.rules import require
from execsponsor.common.errors import InvalidInput
from execsponsor.signals import webhooks
from execsponsor.signals.forms import WebhookRotateForm, WebhookSourceForm
from execsponsor.signals.models import WebhookReceipt, WebhookSource


def _page(request, *, form=None, shown_secret=None, status=200):
    sources = list(WebhookSource.objects.order_by("name"))
    context = {
        "nav": "signals",
        "form": form or WebhookSourceForm(),
        "rotate_form": WebhookRotateForm(),
        "sources": sources,
        "shown": shown_secret,
        "receipts": WebhookReceipt.objects.select_related("source").order_by("-received_at")[:30],
        "base_url": request.build_absolute_uri("/api/v1/signals/webhooks/"),
    }
    return render(request, "signals/webhooks.html", context, status=status)


def _admin_only(request) -> None:
    require(request.user, "execsponsor.manage_users", to="manage webhook sources")


@never_cache
@require_http_methods(["GET", "POST"])
def webhook_sources(request):
    _admin_only(request)
    if request.method == "GET":
        return _page(request)
    form = WebhookSourceForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=422)
    try:
        source, secret = webhooks.webhook_source_create(by=request.user, name=form.cleaned_data["name"])
    except InvalidInput as error:
        form.add_error("name", error.message)
        return _page(request, form=form, status=422)
    return _page(request, shown_secret=(source, secret))


@never_cache
@require_http_methods(["POST"])
def webhook_source_action(request, pk: int, action: str):
    _admin_only(request)
    source = get_object_or_404(WebhookSource, pk=pk)
    if action == "rotate":
        form = WebhookRotateForm(request.POST)
        if not form.is_valid():
            return _page(request, status=422)
        grace = dt.timedelta(hours=int(form.cleaned_data["grace_hours"]))
        secret = webhooks.webhook_secret_rotate(by=request.user, source=source, grace=grace)
        source.refresh_from_db()
        return _page(request, shown_secret=(source, secret))
    if action == "revoke-previous":
        webhooks.webhook_previous_secret_revoke(by=request.user, source=source)
    elif action in ("pause", "resume"):
        webhooks.webhook_source_set_active(by=request.user, source=source, active=action == "resume")
    else:
        return _page(request, status=404)
    return _page(request)
