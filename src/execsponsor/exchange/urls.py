"""The import page and the CSV exports, under /accounts/ like before they moved here (see execsponsor/urls.py)."""

from django.urls import path

from execsponsor.exchange import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("import/arr/", views.arr_rollup, name="arr_rollup"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("export/<str:kind>.csv", views.export_csv, name="export_csv"),
]
