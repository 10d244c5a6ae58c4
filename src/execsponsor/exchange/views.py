"""The import page (upload → preview → commit or discard) and CSV export links."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from execsponsor.access.rules import permission_required
from execsponsor.common.errors import NotPermitted
from execsponsor.customers.arr_rollup import DEFAULT_MONTHS, arr_rollup_apply, arr_rollup_preview
from execsponsor.exchange.exporting import EXPORTS, export_rows, may_export
from execsponsor.exchange.importing import ImportFileError
from execsponsor.exchange.importing import services as imports
from execsponsor.exchange.importing.columns import FIELDS
from execsponsor.exchange.importing.forms import ArrRollupForm, MappingForm, UploadForm
from execsponsor.exchange.models import ImportBatch

SHOWN_PROBLEMS = 500


def _upload_page(request, *, form: UploadForm, mapping_form: MappingForm, status: int = 200):
    context = {
        "nav": "import",
        "form": form,
        "mapping_form": mapping_form,
        "fields": FIELDS,
        "recent": ImportBatch.objects.select_related("created_by")[:10],
        "exports": [kind for kind in EXPORTS if may_export(user=request.user, kind=kind)],
    }
    return render(request, "exchange/import_upload.html", context, status=status)


@permission_required("execsponsor.import_data")
def import_upload(request):
    if request.method != "POST":
        return _upload_page(request, form=UploadForm(), mapping_form=MappingForm())
    if "save_mapping" in request.POST:
        return _save_mapping(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form=form, mapping_form=MappingForm(), status=422)
    upload = form.cleaned_data["file"]
    try:
        batch = imports.import_job_start(
            by=request.user,
            source=form.cleaned_data["source"],
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            chunks=upload.chunks(),
            size=upload.size,
            mapping=form.cleaned_data["mapping"],
        )
    except ImportFileError as error:
        form.add_error("file", error.message)
        return _upload_page(request, form=form, mapping_form=MappingForm(), status=422)
    return redirect("exchange:import_preview", pk=batch.pk)


def _save_mapping(request):
    mapping_form = MappingForm(request.POST)
    if not mapping_form.is_valid():
        return _upload_page(request, form=UploadForm(), mapping_form=mapping_form, status=422)
    mapping = imports.import_mapping_save(by=request.user, **mapping_form.cleaned_data)
    messages.success(request, f"Saved the mapping “{mapping.name}”. Choose it with the source “Any CSV”.")
    return redirect("exchange:import_upload")


@permission_required("execsponsor.import_data")
def import_preview(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by", "mapping"), pk=pk)
    if batch.running:
        return render(request, "exchange/import_running.html", {"nav": "import", "batch": batch})
    report = batch.report or {}
    errors, warnings = report.get("errors", []), report.get("warnings", [])
    first_rows = report.get("first_rows", [])
    columns = list(dict.fromkeys(key for row in first_rows for key in row if key != "line"))
    context = {
        "nav": "import",
        "batch": batch,
        "report": report,
        "errors": errors[:SHOWN_PROBLEMS],
        "more_errors": max(0, len(errors) - SHOWN_PROBLEMS),
        "warnings": warnings[:SHOWN_PROBLEMS],
        "warning_count": report.get("warning_count", len(warnings)),
        "first_rows": [[row.get("line")] + [row.get(column, "") for column in columns] for row in first_rows],
        "first_columns": columns,
    }
    return render(request, "exchange/import_preview.html", context)


@permission_required("execsponsor.import_data")
def import_progress(request, pk: int):
    """Polled by htmx while the job runs; once it is done the page reloads to show the report."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if not batch.running:
        return HttpResponseClientRefresh()
    return render(request, "exchange/import_progress.html", {"batch": batch})


@require_POST
@permission_required("execsponsor.import_data")
def import_commit(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    if request.POST.get("action") == "discard":
        imports.import_job_discard(batch=batch, by=request.user)
        messages.info(request, f"Discarded {batch.file_name}; nothing was written.")
        return redirect("exchange:import_upload")
    try:
        batch = imports.import_job_commit(batch=batch, by=request.user, skip_bad_rows="skip_bad_rows" in request.POST)
    except ImportFileError as error:
        messages.error(request, error.message)
    return redirect("exchange:import_preview", pk=batch.pk)


def export_csv(request, kind: str):
    """Every object of `kind` the signed-in user may see, as CSV (through visible_accounts)."""
    if kind not in EXPORTS:
        raise Http404
    if not may_export(user=request.user, kind=kind):
        raise NotPermitted(f"You may not export {kind}")
    response = StreamingHttpResponse(_csv_lines(kind=kind, user=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="execsponsor-{kind}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(*, kind: str, user):

    writer = csv.writer(_Echo())
    for row in export_rows(kind=kind, user=user):
        yield writer.writerow(row)


@permission_required("execsponsor.import_data")
def arr_rollup(request):
    """ARR from won opportunities: GET previews (months, replace), POST applies what the preview showed."""
    source = request.POST if request.method == "POST" else request.GET
    form = ArrRollupForm(source or None)
    preview = result = None
    status = 200
    if form.is_bound and form.is_valid():
        options = {"months": form.cleaned_data["months"], "replace": form.cleaned_data["replace"]}
        if request.method == "POST":
            result = arr_rollup_apply(by=request.user, **options)
            noun = "account" if result.accounts == 1 else "accounts"
            messages.success(request, f"Set ARR on {result.accounts} {noun} from their won opportunities.")
        else:
            preview = arr_rollup_preview(**options)
    elif form.is_bound:
        status = 422
    else:
        form = ArrRollupForm(initial={"months": DEFAULT_MONTHS})
        preview = arr_rollup_preview(months=DEFAULT_MONTHS)
    context = {"nav": "import", "form": form, "preview": preview, "result": result}
    return render(request, "exchange/arr_rollup.html", context, status=status)
