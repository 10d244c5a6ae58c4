from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render

from execsponsor.users import selectors
from execsponsor.users.models import Executive, ExecutiveFunction


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request):
    return redirect("customers:account_list")


def executive_list(request):
    search = request.GET.get("q", "")[:100]
    function = request.GET.get("function", "")
    sort = request.GET.get("sort", "name")
    page = selectors.executive_list(
        user=request.user, search=search, function=function, sort=sort, page=request.GET.get("page") or 1
    )
    context = {
        "nav": "executives",
        "page": page,
        "search": search,
        "function": function,
        "sort": sort if sort in selectors.EXECUTIVE_SORTS else "name",
        "functions": ExecutiveFunction.choices,
        "is_filtered": bool(search or function),
    }
    return render(request, "users/executive_list.html", context)


def executive_detail(request, pk: int):
    try:
        overview = selectors.executive_overview(user=request.user, executive_id=pk)
    except Executive.DoesNotExist:
        raise Http404("No such executive") from None
    return render(
        request,
        "users/executive_detail.html",
        {"nav": "executives", "overview": overview, "executive": overview.executive},
    )
