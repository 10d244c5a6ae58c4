from django.urls import path

from execsponsor.signals import views

app_name = "signals"

urlpatterns = [
    path("", views.signals_home, name="signals_home"),
]
