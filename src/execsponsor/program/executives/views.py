"""The executive pages: the list with each executive's load against capacity, an executive's accounts and
enablement, and the profile form (program owner and admins). They show sponsorships, so they live in
`program`; the profile itself is written by users/services.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from execsponsor.access.rules import can, permission_required
from execsponsor.common.errors import DomainError
from execsponsor.program.executives import selectors
from execsponsor.users import enablement, services
from execsponsor.users import selectors as people
from execsponsor.users.forms import ExecutiveForm, executive_initial
from execsponsor.users.models import Executive, ExecutiveFunction


def executive_list(request):
    search = request.GET.get("q", "")[:100]
    function = request.GET.get("function", "")
    sort = request.GET.get("sort", "name")
    page = selectors.executive_list(
        user=request.user, search=search, function=function, sort=sort, page=request.GET.get("page") or 1
    )
    summaries = enablement.enablement_summaries(page.object_list)
    for executive in page:
        executive.enablement_summary = summaries[executive.pk]
    context = {
        "nav": "executives",
        "page": page,
        "search": search,
        "function": function,
        "sort": sort if sort in selectors.EXECUTIVE_SORTS else "name",
        "functions": ExecutiveFunction.choices,
        "is_filtered": bool(search or function),
        "can_edit": can(request.user, "execsponsor.run_program"),
    }
    return render(request, "executives/executive_list.html", context)


def executive_detail(request, pk: int):
    try:
        overview = selectors.executive_overview(user=request.user, executive_id=pk)
    except Executive.DoesNotExist:
        raise Http404("No such executive") from None
    executive = overview.executive
    return render(
        request,
        "executives/executive_detail.html",
        {
            "nav": "executives",
            "overview": overview,
            "executive": executive,
            "can_edit": can(request.user, "execsponsor.run_program"),
            "checklist": enablement.executive_checklist(executive),
            "enablement_summary": enablement.enablement_summary(executive),
            "today": timezone.localdate(),
        },
    )


def _form_page(request, form, *, executive=None, status=200):
    context = {"nav": "executives", "form": form, "executive": executive}
    return render(request, "executives/executive_form.html", context, status=status)


def _refused_form(request, form, exc: DomainError, *, executive=None):
    field = (exc.field or "").removesuffix("_id")
    if field in form.fields:
        form.add_error(field, exc.message.removeprefix(f"{exc.field}: "))
    else:
        form.add_error(None, exc.message)
    return _form_page(request, form, executive=executive, status=422)


@require_http_methods(["GET", "POST"])
@permission_required("execsponsor.run_program")
def executive_new(request):
    candidates = people.executive_candidates()
    initial = {"user": request.GET.get("user")} if request.GET.get("user", "").isdigit() else None
    form = ExecutiveForm(
        request.POST or None, initial=initial, choices=selectors.executive_choices(), candidates=candidates
    )
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, status=422 if form.errors else 200)
    try:
        executive = services.executive_create(
            by=request.user, user=form.cleaned_data["user"], fields=form.profile_fields()
        )
    except DomainError as exc:
        return _refused_form(request, form, exc)
    messages.success(request, f"{executive.user} is an executive now and can sponsor accounts.")
    return redirect(executive)


@require_http_methods(["GET", "POST"])
@permission_required("execsponsor.run_program")
def executive_edit(request, pk: int):
    executive = get_object_or_404(Executive.objects.select_related("user"), pk=pk)
    form = ExecutiveForm(
        request.POST or None,
        initial=executive_initial(executive),
        choices=selectors.executive_choices(),
        candidates=None,
        executive=executive,
    )
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, executive=executive, status=422 if form.errors else 200)
    try:
        services.executive_update(
            executive=executive,
            by=request.user,
            changes=form.profile_fields(),
            expected_updated_at=form.cleaned_data["expected_updated_at"],
        )
    except DomainError as exc:
        return _refused_form(request, form, exc, executive=executive)
    messages.success(request, f"Saved {executive.user}'s profile.")
    return redirect(executive)
