from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from execsponsor import views_backup
from execsponsor.api import api
from execsponsor.home import views as home_views
from execsponsor.users import views as user_views


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _authenticating_itself(urls):
    """The API's views: open to LoginRequiredMiddleware, since every endpoint authenticates the request itself
    (an API token, or the browser's session) and answers 401 in JSON rather than redirecting to the sign-in page."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", home_views.home, name="home"),
    path("login/", user_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("execsponsor.users.urls_accounts")),
    path("accounts/", include("execsponsor.home.urls_accounts")),
    path("accounts/", include("execsponsor.customers.urls")),
    # The import page and the CSV exports keep their /accounts/ addresses.
    path("accounts/", include("execsponsor.exchange.urls")),
    path("", include("execsponsor.engagements.urls")),
    path("executives/", include("execsponsor.users.urls")),
    path("executives/", include("execsponsor.program.executives.urls")),
    # The Program page itself; its steps (selection, matching, rebalance) live under the same prefix.
    path("program/", home_views.program_overview, name="program_overview"),
    path("program/", include("execsponsor.program.urls")),
    path("signals/", include("execsponsor.signals.urls")),
    path("", include("execsponsor.insights.urls")),
    path("engagements/", include("execsponsor.engagements.urls_calendar")),
    path("", include("execsponsor.playbooks.urls")),
    path("", include("execsponsor.notify.urls")),
    path("jobs/", include("execsponsor.jobs.urls")),
    path("backup/", views_backup.backup_download, name="backup"),
    path("admin/", admin.site.urls),
    path("api/v1/", _authenticating_itself(api.urls)),
    path("healthz", healthz),
]

# A database too busy to answer is a 503 with a message, wherever it is raised.
handler500 = "execsponsor.common.busy.server_error"
