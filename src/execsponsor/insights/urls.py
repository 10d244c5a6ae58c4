from django.urls import path

from execsponsor.insights import views

app_name = "insights"

urlpatterns = [
    path("accounts/<int:pk>/relationships/", views.account_relationships, name="account_relationships"),
    path("program/health/", views.health_settings, name="health_settings"),
]
