"""The accounts list and the account page, under /accounts/ (the sections they edit in place are customers')."""

from django.urls import path

from execsponsor.home import views_accounts

app_name = "accounts"

urlpatterns = [
    path("", views_accounts.account_list, name="account_list"),
    path("<int:pk>/", views_accounts.account_detail, name="account_detail"),
]
