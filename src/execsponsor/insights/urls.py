from django.urls import path

from execsponsor.insights import views, views_impact

app_name = "insights"

urlpatterns = [
    path("accounts/<int:pk>/relationships/", views.account_relationships, name="account_relationships"),
    path("program/health/", views.health_settings, name="health_settings"),
    path("program/impact/", views_impact.impact, name="impact"),
    path("program/impact/run/", views_impact.impact_run, name="impact_run"),
]
