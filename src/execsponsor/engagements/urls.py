"""Engagement pages. Included at the site root: the paths carry their own accounts/ and engagements/ prefixes."""

from django.urls import path

from execsponsor.engagements import views

app_name = "engagements"

urlpatterns = [
    path("accounts/<int:account_id>/engagements/new/", views.engagement_new, name="engagement_new"),
    path("accounts/<int:account_id>/engagements/rubric/", views.rubric_badge, name="rubric_badge"),
    path("accounts/<int:account_id>/engagements/people/", views.people_options, name="people_options"),
    path("engagements/going-cold/", views.going_cold, name="going_cold"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/counts/", views.engagement_counts, name="engagement_counts"),
]
