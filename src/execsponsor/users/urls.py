"""A user's own API tokens (under /executives/me/, where they have always been)."""

from django.urls import path

from execsponsor.users import views_tokens

app_name = "users"

urlpatterns = [
    path("me/api-tokens/", views_tokens.token_list, name="token_list"),
    path("me/api-tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
]
