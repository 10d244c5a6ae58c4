"""The signals page: read a file of bounces, replies or job changes; see departures and champions on the move."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from execsponsor.common.errors import InvalidInput
from execsponsor.signals import selectors, services
from execsponsor.signals.forms import SignalUploadForm
from execsponsor.users.permissions import is_admin


@login_required
def signals_home(request):
    may_ingest = request.user.has_perm("execsponsor.run_program")
    form, report, status = SignalUploadForm(), None, 200
    if request.method == "POST" and not may_ingest:
        raise PermissionDenied("Only the program owner or an admin may read signal files")
    if request.method == "POST":
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
        "may_manage_webhooks": is_admin(request.user),
        "report": report,
        "alerts": selectors.open_alerts(user=request.user),
        "champions": selectors.champions_on_the_move(user=request.user),
        "signals": selectors.recent_signals(user=request.user),
    }
    return render(request, "signals/signals_home.html", context, status=status)
