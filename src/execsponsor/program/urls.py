from django.urls import path

from execsponsor.program import views

app_name = "program"

urlpatterns = [
    path("selection/", views.selection_settings, name="selection_settings"),
    path("matching/", views.matching_workbench, name="matching_workbench"),
    path("matching/runs/", views.matching_run_new, name="matching_run_new"),
    path("matching/search/accounts/", views.matching_account_search, name="matching_account_search"),
    path("matching/runs/<int:pk>/", views.matching_run_detail, name="matching_run"),
    path("matching/runs/<int:pk>/what-if/", views.matching_run_whatif, name="matching_run_whatif"),
    path("matching/runs/<int:pk>/approve/", views.matching_run_approve, name="matching_run_approve"),
    path("matching/compare/", views.matching_compare, name="matching_compare"),
    path("rebalance/", views.rebalance_list, name="rebalance_list"),
    path("rebalance/new/", views.rebalance_new, name="rebalance_new"),
    path("rebalance/<int:pk>/", views.rebalance_detail, name="rebalance_detail"),
    path("rebalance/<int:pk>/apply/", views.rebalance_apply, name="rebalance_apply"),
    path("rebalance/<int:pk>/revert/", views.rebalance_revert, name="rebalance_revert"),
]
