from django.shortcuts import render


def token_list(request):
    return render(request, "users/token_list.html", {})


def token_revoke(request, pk: int):
    return render(request, "users/token_list.html", {})
