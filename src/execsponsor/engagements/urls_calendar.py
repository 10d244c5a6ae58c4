from django.urls import path

from execsponsor.engagements import views_calendar

app_name = "engagements_calendar"

urlpatterns = [
    path("calendar/", views_calendar.calendar_upload, name="upload"),
    path("calendar/<str:token>/", views_calendar.calendar_preview, name="preview"),
    path("calendar/<str:token>/commit/", views_calendar.calendar_commit, name="commit"),
    path("calendar/<str:token>/discard/", views_calendar.calendar_discard, name="discard"),
    path("awaiting-rubric/", views_calendar.awaiting_rubric, name="awaiting_rubric"),
    path("awaiting-rubric/<int:pk>/", views_calendar.rubric_fill, name="rubric_fill"),
]
