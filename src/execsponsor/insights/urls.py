from django.urls import path

from execsponsor.insights import (
    views,
    views_briefing,
    views_csm_rating,
    views_dashboard,
    views_impact,
    views_measures,
    views_quarterly,
    views_relationships,
)

app_name = "insights"

urlpatterns = [
    path("accounts/<int:pk>/briefing/", views_briefing.briefing_page, name="briefing"),
    path("accounts/<int:pk>/briefing.pdf", views_briefing.briefing_pdf, name="briefing_pdf"),
    path("accounts/<int:pk>/relationships/", views_relationships.account_relationships, name="account_relationships"),
    path(
        "accounts/<int:pk>/relationships/contacts/<int:contact_pk>/",
        views_relationships.map_contact_row,
        name="map_contact_row",
    ),
    path(
        "accounts/<int:pk>/relationships/contacts/<int:contact_pk>/edit/",
        views_relationships.map_contact_edit,
        name="map_contact_edit",
    ),
    path(
        "accounts/<int:pk>/relationships/contacts/<int:contact_pk>/levels/",
        views_relationships.map_level_set,
        name="map_level_set",
    ),
    path("accounts/<int:pk>/csm-rating/", views_csm_rating.csm_rating, name="csm_rating"),
    path("program/health/", views.health_settings, name="health_settings"),
    path("program/dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("program/review/quarterly.pdf", views_quarterly.quarterly_review_pdf, name="quarterly_pdf"),
    path("program/review/quarterly.csv", views_quarterly.quarterly_review_csv, name="quarterly_csv"),
    path("program/impact/", views_impact.impact, name="impact"),
    path("program/impact/run/", views_impact.impact_run, name="impact_run"),
    path("program/measures/", views_measures.measures, name="measures"),
    path("program/measures/settings/", views_measures.measures_settings, name="measures_settings"),
    path("program/measures/earlier-access/", views_measures.earlier_access_override, name="earlier_access_override"),
    path("program/scorecards/", views_measures.scorecard_list, name="scorecards"),
    path("program/scorecards.csv", views_measures.scorecards_csv, name="scorecards_csv"),
    path("program/scorecards/<int:executive_id>/", views_measures.scorecard, name="scorecard"),
]
