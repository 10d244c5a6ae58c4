from django.urls import path

from execsponsor.customers import views, views_outcomes

app_name = "customers"

urlpatterns = [
    path("owners/", views.owner_options, name="owner_options"),
    path("<int:pk>/sections/<slug:section>/", views.account_section, name="account_section"),
    path("<int:pk>/sections/<slug:section>/edit/", views.account_section_edit, name="account_section_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_row, name="contact_row"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/outcomes/", views_outcomes.outcomes_section, name="outcomes_section"),
    path("<int:pk>/outcomes/new/", views_outcomes.outcome_new, name="outcome_new"),
    path("<int:pk>/outcomes/<int:outcome_pk>/edit/", views_outcomes.outcome_edit, name="outcome_edit"),
    path("<int:pk>/advocates/", views_outcomes.advocates_section, name="advocates_section"),
    path("<int:pk>/advocates/new/", views_outcomes.advocate_new, name="advocate_new"),
    path("<int:pk>/advocates/<int:advocate_pk>/edit/", views_outcomes.advocate_edit, name="advocate_edit"),
    path(
        "<int:pk>/advocates/<int:advocate_pk>/activities/new/",
        views_outcomes.advocacy_activity_new,
        name="advocacy_activity_new",
    ),
]
