from django.urls import path

from execsponsor.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("import/", views.import_upload, name="import_upload"),
]
