"""Django settings, read from the environment. `esp init` writes a local .env with a fresh secret key."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from execsponsor.env import ConfigurationError, env_bool, env_int, env_list, env_str, load_dotenv

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(env_str("ESP_PROJECT_DIR", str(PACKAGE_DIR.parent.parent)))
load_dotenv(Path(env_str("ESP_ENV_FILE", str(PROJECT_DIR / ".env"))))

DATA_DIR = Path(env_str("ESP_DATA_DIR", str(PROJECT_DIR / "var")))
DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("ESP_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-run-esp-init"  # noqa: S105 - only with DEBUG or in tests
    else:
        raise ConfigurationError("SECRET_KEY is not set: run `esp init` or set it in the environment")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "huey.contrib.djhuey",
    "execsponsor.users",
    "execsponsor.customers",
    "execsponsor.program",
    "execsponsor.engagements",
    "execsponsor.exchange",  # files in and out: above the apps an import writes (users, customers, engagements…)
    "execsponsor.playbooks",
    "execsponsor.signals",
    "execsponsor.insights",
    "execsponsor.notify",
    "execsponsor.jobs",
    "execsponsor.demo",
    "execsponsor.access",  # no models: who may see and change what (rules.py is loaded by `rules`)
    "execsponsor.home",  # no models: the homes and pages that compose several apps, and their template tags
]

MIDDLEWARE = [
    "execsponsor.users.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "execsponsor.users.middleware.SecurityHeadersMiddleware",
    # Outermost after security, so a locked database in any middleware below (sessions, axes) is a 503 too.
    "execsponsor.common.busy.BusyDatabaseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "execsponsor.users.middleware.FirstRunMiddleware",
    # Every view needs a signed-in user unless it is marked `login_not_required`.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "execsponsor.users.middleware.OutOfRangeIdsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "execsponsor.urls"
WSGI_APPLICATION = "execsponsor.wsgi.application"
ASGI_APPLICATION = "execsponsor.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_config() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "execsponsor.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers run while one writer writes; IMMEDIATE avoids upgrade deadlocks.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind a load balancer or reverse proxy, name its addresses (or CIDR ranges): only then is the client's
# address taken from X-Forwarded-For, so lockouts hit the client, not everyone behind the balancer.
ESP_TRUSTED_PROXIES = env_list("ESP_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "execsponsor.users.client_address.client_address"

try:
    from execsponsor.users.client_address import trusted_networks

    trusted_networks(ESP_TRUSTED_PROXIES)
except ValueError as error:
    raise ConfigurationError(f"ESP_TRUSTED_PROXIES: {error}") from None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
_BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# Cookies are Secure (sent over HTTPS only) except on plain local HTTP: a site that names only local hosts
# may turn them off (ESP_SECURE_COOKIES=false) or gets them off by default; a site served over TLS
# (BEHIND_TLS_PROXY or SECURE_SSL_REDIRECT) always has them, whatever a leftover local .env says.
_LOCAL_ONLY = set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]", "testserver"}
_SECURE_COOKIES = env_bool("ESP_SECURE_COOKIES", not TESTING and not _LOCAL_ONLY)
SECURE = not DEBUG and (_BEHIND_TLS_PROXY or SECURE_SSL_REDIRECT or _SECURE_COOKIES)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Only this server's own files: no inline script or style attribute, no other origin (see docs/deploy.md).
ESP_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Browser features no page uses, switched off for this origin and any frame.
ESP_PERMISSIONS_POLICY = (
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# Both take effect only with SECURE_HSTS_SECONDS. includeSubDomains covers the hosts *below* this one (for
# execsponsor.example.com: *.execsponsor.example.com, not its siblings); preload is only a marker until
# someone submits the domain to the browsers' list. Turn them off if hosts below this one serve plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _BEHIND_TLS_PROXY else None

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Calendar import (esp import calendar, /engagements/calendar/): the largest .ics and the most meetings per run.
CALENDAR_IMPORT_MAX_BYTES = env_int("CALENDAR_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
CALENDAR_IMPORT_MAX_MEETINGS = env_int("CALENDAR_IMPORT_MAX_MEETINGS", 20_000)
# Our email domains: attendees there are our people. Empty: the domains of the users' own addresses.
OUR_EMAIL_DOMAINS = env_list("OUR_EMAIL_DOMAINS", [])

# Import page uploads: stored as files under DATA_DIR/imports (never in the database), at most this size,
# and deleted after commit, discard or failure, or once older than the retention period.
# With web and worker on different machines, this directory must be shared between them.
IMPORT_UPLOAD_DIR = Path(env_str("ESP_IMPORT_UPLOAD_DIR", str(DATA_DIR / "imports")))
IMPORT_UPLOAD_MAX_BYTES = env_int("ESP_IMPORT_UPLOAD_MAX_MB", 200) * 1024 * 1024
IMPORT_UPLOAD_RETENTION_HOURS = env_int("ESP_IMPORT_UPLOAD_RETENTION_HOURS", 72)

_redis_url = env_str("REDIS_URL")
if _redis_url:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "execsponsor", "url": _redis_url, "immediate": TESTING}
    # One cache for every web and worker process: what the jobs precompute, the pages read.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "execsponsor",
        }
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "execsponsor",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING,
    }

# Invitations, password resets and notifications go out by SMTP (docs/people.md).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "execsponsor@localhost")
# How long an invitation or password-reset link works, in seconds (3 days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24 * 3)

# Notifications (docs/notifications.md): retries with backoff, meeting reminders, outbound webhook checks.
ESP_NOTIFY_MAX_ATTEMPTS = env_int("ESP_NOTIFY_MAX_ATTEMPTS", 5)
ESP_NOTIFY_RETRY_SECONDS = env_int("ESP_NOTIFY_RETRY_SECONDS", 60)
ESP_MEETING_REMINDER_HOURS = env_int("ESP_MEETING_REMINDER_HOURS", 24)
ESP_WEBHOOK_TIMEOUT = env_int("ESP_WEBHOOK_TIMEOUT", 10)
# Server-wide allowances for chat webhooks; an admin can also allow them per webhook on its page.
ESP_WEBHOOK_ALLOW_HTTP = env_bool("ESP_WEBHOOK_ALLOW_HTTP", False)
ESP_WEBHOOK_ALLOW_PRIVATE = env_bool("ESP_WEBHOOK_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

ESP_PAGE_SIZE = env_int("ESP_PAGE_SIZE", 50)

# The bi-weekly program review (docs/program-review.md): how often it meets, and how many items each group of
# its agenda lists (the rest are counted).
ESP_PROGRAM_REVIEW_EVERY_DAYS = env_int("ESP_PROGRAM_REVIEW_EVERY_DAYS", 14)
ESP_PROGRAM_REVIEW_ITEMS_PER_GROUP = env_int("ESP_PROGRAM_REVIEW_ITEMS_PER_GROUP", 25)
