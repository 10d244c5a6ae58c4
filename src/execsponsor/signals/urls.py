from django.urls import path

from execsponsor.signals import views, views_webhooks

app_name = "signals"

urlpatterns = [
    path("", views.signals_home, name="signals_home"),
    path("alerts/<int:pk>/successor/", views.alert_successor, name="alert_successor"),
    path("webhooks/", views_webhooks.webhook_sources, name="webhook_sources"),
    path("webhooks/<int:pk>/<slug:action>/", views_webhooks.webhook_source_action, name="webhook_source_action"),
]
