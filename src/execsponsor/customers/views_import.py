from django.http import Http404
from django.shortcuts import render


def import_upload(request):
    return render(request, "customers/import_upload.html", {"nav": "import"})


def import_preview(request, pk: int):
    raise Http404


def import_commit(request, pk: int):
    raise Http404


def export_csv(request, kind: str):
    raise Http404
