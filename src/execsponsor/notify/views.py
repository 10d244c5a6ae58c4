"""Notification pages: everyone's preferences; the admins' chat webhooks and retrying a failed message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import DomainError
from execsponsor.notify import selectors, services
from execsponsor.notify.forms import ChatWebhookForm, PreferencesForm
from execsponsor.notify.models import ChatWebhook, Notification


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = selectors.preference_for(request.user)
    form = PreferencesForm.for_preference(preference, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_save(
                user=request.user,
                by=request.user,
                chat_webhook=form.cleaned_data.get("chat_webhook"),
                **form.choices(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Saved: you will receive what you chose.")
            return redirect("notify:preferences")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "notify/preferences.html", {"form": form, "has_email": bool(request.user.email)}, status=status
    )


def _webhook_page(request, form, status=200):
    context = {"nav": "people", "form": form, "webhooks": selectors.chat_webhooks()}
    return render(request, "notify/webhook_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("execsponsor.manage_users")
def webhook_list(request):
    if request.method != "POST":
        return _webhook_page(request, ChatWebhookForm())
    form = ChatWebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook = services.chat_webhook_save(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Added the chat webhook “{webhook.name}”. Send it a test message.")
            return redirect("notify:webhook_list")
    return _webhook_page(request, form, status=422)


@require_POST
@permission_required("execsponsor.manage_users")
def webhook_test(request, pk: int):
    webhook = get_object_or_404(ChatWebhook, pk=pk)
    try:
        services.chat_webhook_test(webhook=webhook, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A test message went to “{webhook.name}”.")
    return redirect("notify:webhook_list")


@require_POST
@permission_required("execsponsor.manage_users")
def webhook_active(request, pk: int):
    webhook = get_object_or_404(ChatWebhook, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.chat_webhook_set_active(webhook=webhook, active=active, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{webhook.name}” is {'on' if active else 'off'}.")
    return redirect("notify:webhook_list")


@require_POST
@permission_required("execsponsor.manage_users")
def notification_retry(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk)
    try:
        services.notification_retry(notification=notification, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The message is back in the queue; the worker sends it within a minute.")
    return redirect("jobs:job_list")
