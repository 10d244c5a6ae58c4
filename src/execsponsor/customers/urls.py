from django.urls import path

from execsponsor.customers import views, views_import

app_name = "customers"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("owners/", views.owner_options, name="owner_options"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/sections/<slug:section>/", views.account_section, name="account_section"),
    path("<int:pk>/sections/<slug:section>/edit/", views.account_section_edit, name="account_section_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_row, name="contact_row"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/arr/", views_import.arr_rollup, name="arr_rollup"),
    path("import/<int:pk>/", views_import.import_preview, name="import_preview"),
    path("import/<int:pk>/commit/", views_import.import_commit, name="import_commit"),
    path("import/<int:pk>/progress/", views_import.import_progress, name="import_progress"),
    path("export/<str:kind>.csv", views_import.export_csv, name="export_csv"),
]
