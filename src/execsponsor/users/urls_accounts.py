"""Sign-in, first run, invitations, password reset and the People page: at the top of the site."""

from django.urls import path

from execsponsor.users import views_people, views_setup

urlpatterns = [
    path("setup/", views_setup.setup, name="setup"),
    path("welcome/<uidb64>/<token>/", views_setup.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("password/reset/", views_setup.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views_setup.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views_setup.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views_setup.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("people/", views_people.people_list, name="people"),
    path("people/invite/", views_people.person_invite_new, name="person_invite_new"),
    path("people/invitations/", views_people.people_invite, name="people_invite"),
    path("people/<int:pk>/role/", views_people.person_role, name="person_role"),
    path("people/<int:pk>/deactivate/", views_people.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views_people.person_reactivate, name="person_reactivate"),
]
