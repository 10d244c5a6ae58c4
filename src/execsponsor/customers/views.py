from django.shortcuts import get_object_or_404, render

from execsponsor.users.visibility import visible_accounts


def account_list(request):
    accounts = visible_accounts(request.user).order_by("name")[:50]
    return render(request, "customers/account_list.html", {"nav": "accounts", "accounts": accounts})


def account_detail(request, pk: int):
    account = get_object_or_404(visible_accounts(request.user), pk=pk)
    return render(request, "customers/account_detail.html", {"nav": "accounts", "account": account})
