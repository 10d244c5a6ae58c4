"""The signals page: read a file of bounces, replies or job changes; see departures and champions on the move."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from execsponsor.access.rules import can, require
from execsponsor.access.visibility import visible_accounts
from execsponsor.common.errors import InvalidInput
from execsponsor.signals import selectors, services
from execsponsor.signals.forms import SignalUploadForm
from execsponsor.signals.models import Alert


def signals_home(request):
    may_ingest = can(request.user, "execsponsor.run_program")
    form, report, status = SignalUploadForm(), None, 200
    if request.method == "POST":
        require(request.user, "execsponsor.run_program", to="read signal files")
        form = SignalUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.signals_ingest(
                    by=request.user, name=upload.name, raw=upload.read(), dry_run=form.cleaned_data["dry_run"]
                )
            except InvalidInput as error:
                form.add_error("file", str(error))
        if form.errors:
            status = 422
    context = {
        "nav": "signals",
        "form": form,
        "may_ingest": may_ingest,
        "may_manage_webhooks": can(request.user, "execsponsor.manage_users"),
        "report": report,
        "alerts": selectors.alerts_with_successors(selectors.open_alerts(user=request.user), user=request.user),
        "champions": selectors.champions_on_the_move(user=request.user),
        "signals": selectors.recent_signals(user=request.user),
    }
    return render(request, "signals/signals_home.html", context, status=status)


@require_POST
def alert_successor(request, pk: int):
    """Record the successor a departure's reply named, as the departed contact's replacement."""
    alert = get_object_or_404(Alert.objects.filter(account__in=visible_accounts(request.user)), pk=pk)
    try:
        successor = services.successor_record(by=request.user, alert=alert)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{successor.full_name} is recorded as {alert.contact.full_name}'s successor.")
    return redirect("signals:signals_home")
