"""Signing in. The People page, first run and invitations are in views_people.py and views_setup.py; the
executive pages, which show sponsorships, are in program/executives/views.py."""

from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
