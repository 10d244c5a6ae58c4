from django.urls import path

from execsponsor.program import views_charter, views_review
from execsponsor.program.matching import views as matching_views
from execsponsor.program.rebalance import views as rebalance_views

app_name = "program"

urlpatterns = [
    path("selection/", matching_views.selection_settings, name="selection_settings"),
    path("matching/", matching_views.matching_workbench, name="matching_workbench"),
    path("matching/runs/", matching_views.matching_run_new, name="matching_run_new"),
    path("matching/search/accounts/", matching_views.matching_account_search, name="matching_account_search"),
    path("matching/runs/<int:pk>/", matching_views.matching_run_detail, name="matching_run"),
    path("matching/runs/<int:pk>/what-if/", matching_views.matching_run_whatif, name="matching_run_whatif"),
    path("matching/runs/<int:pk>/approve/", matching_views.matching_run_approve, name="matching_run_approve"),
    path("matching/compare/", matching_views.matching_compare, name="matching_compare"),
    path("rebalance/", rebalance_views.rebalance_list, name="rebalance_list"),
    path("rebalance/new/", rebalance_views.rebalance_new, name="rebalance_new"),
    path("rebalance/<int:pk>/", rebalance_views.rebalance_detail, name="rebalance_detail"),
    path("rebalance/<int:pk>/apply/", rebalance_views.rebalance_apply, name="rebalance_apply"),
    path("rebalance/<int:pk>/revert/", rebalance_views.rebalance_revert, name="rebalance_revert"),
    path("reviews/", views_review.review_list, name="review_list"),
    path("reviews/prepare/", views_review.review_prepare, name="review_prepare"),
    path("reviews/<int:pk>/", views_review.review_detail, name="review_detail"),
    path("reviews/<int:pk>/refresh/", views_review.review_refresh, name="review_refresh"),
    path("reviews/<int:pk>/notes/", views_review.review_notes, name="review_notes"),
    path("reviews/<int:pk>/tick/", views_review.review_tick, name="review_tick"),
    path("reviews/<int:pk>/decisions/", views_review.decision_new, name="decision_new"),
    path("reviews/decisions/<int:pk>/", views_review.decision_edit, name="decision_edit"),
    path("reviews/decisions/<int:pk>/delete/", views_review.decision_delete, name="decision_delete"),
    path("charters/", views_charter.role_charters, name="role_charters"),
    path("charters/<str:role>/", views_charter.role_charter_edit, name="role_charter_edit"),
    path("sponsorships/<int:pk>/", views_charter.sponsorship_charter, name="sponsorship_charter"),
    path("sponsorships/<int:pk>/charter/", views_charter.charter_text_edit, name="charter_text_edit"),
    path("sponsorships/<int:pk>/objectives/", views_charter.objective_new, name="objective_new"),
    path("sponsorships/<int:pk>/objectives/<int:objective_id>/", views_charter.objective_edit, name="objective_edit"),
    path(
        "sponsorships/<int:pk>/objectives/<int:objective_id>/delete/",
        views_charter.objective_delete,
        name="objective_delete",
    ),
    path("sponsorships/<int:pk>/alignment/notes/", views_charter.alignment_notes_edit, name="alignment_notes"),
    path("sponsorships/<int:pk>/alignment/tick/", views_charter.alignment_tick, name="alignment_tick"),
    path("sponsorships/<int:pk>/transition/", views_charter.sponsorship_transition, name="sponsorship_transition"),
    path("sponsorships/<int:pk>/supporting/", views_charter.supporting_add, name="supporting_add"),
    path(
        "sponsorships/<int:pk>/supporting/<int:supporting_id>/end/",
        views_charter.supporting_end,
        name="supporting_end",
    ),
]
