from django.urls import path

from execsponsor.notify import views

app_name = "notify"
urlpatterns = [
    path("settings/notifications/", views.preferences, name="preferences"),
    path("notifications/webhooks/", views.webhook_list, name="webhook_list"),
    path("notifications/webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("notifications/webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("notifications/<int:pk>/retry/", views.notification_retry, name="notification_retry"),
]
