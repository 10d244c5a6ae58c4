"""The executive pages and the enablement catalogue, under /executives/."""

from django.urls import path

from execsponsor.program.executives import views, views_enablement

app_name = "executives"

urlpatterns = [
    path("", views.executive_list, name="executive_list"),
    path("new/", views.executive_new, name="executive_new"),
    path("<int:pk>/", views.executive_detail, name="executive_detail"),
    path("<int:pk>/edit/", views.executive_edit, name="executive_edit"),
    path("<int:pk>/enablement/", views_enablement.enablement_tick, name="enablement_tick"),
    path("enablement/", views_enablement.enablement_catalogue, name="enablement_catalogue"),
    path("enablement/new/", views_enablement.enablement_item_new, name="enablement_item_new"),
    path("enablement/policy/", views_enablement.enablement_policy_edit, name="enablement_policy"),
    path("enablement/<int:pk>/", views_enablement.enablement_item_edit, name="enablement_item_edit"),
]
