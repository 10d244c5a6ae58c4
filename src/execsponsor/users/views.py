from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request):
    return redirect("customers:account_list")


def executive_list(request):
    return render(request, "users/executive_list.html", {"nav": "executives"})


def executive_detail(request, pk: int):
    return render(request, "users/executive_detail.html", {"nav": "executives"})
