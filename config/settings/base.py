"""Settings shared by every environment.

Production-safe by default (``DEBUG`` off); every value that changes between
machines is read from the environment. ``dev.py`` and ``test.py`` override a
few values for comfort; ``production.py`` adds what a public server needs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_count(name):
    """A whole number (0 or more) from the environment; None when unset, empty or not a number."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else None


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so that their templates win.
    "home",
    "events",
    "registrations",
    "funders",
    "search",
    "outbox",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Task queue (e-mails are sent through it)
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Operations: page cache purging, renditions, health (config/apps.py), then login lockout.
    "config.apps.CoursiveConfig",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.input_guard.ControlCharacterGuardMiddleware",  # control characters in a request: French 400
    # Before sessions, CSRF and auth: a cached page is served without touching the database.
    "config.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Wagtail's site and page lookup, remembered per generation of the page cache (config/routing.py).
    "config.routing.RouteMemoMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a locked-out login attempt into the French lockout page (last, as django-axes asks).
    "axes.middleware.AxesMiddleware",
]

# Sessions stay in the database: every app server sees the same logins.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Brute-force protection of the admin login (django-axes): failed attempts are
# counted in the database, so the limit holds across every app server.
AUTHENTICATION_BACKENDS = [
    # AxesBackend (not the standalone one) because Wagtail's test tools log in with the first backend.
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures per account and address; then per address over every account (password spraying),
# higher because colleagues behind one office address share it (config/lockout.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "config.lockout.AddressLockoutHandler"
# A successful login clears its own account+address failures only, never the address's others.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Reverse proxies in front of gunicorn whose X-Forwarded-For entry is trusted (1 behind nginx).
# 0 in development; production refuses to start without an explicit value.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT") or 0

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # site/ holds the site-wide templates (base.html, 404, 500, includes, blocks).
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "config.context_processors.layout",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite (WAL, IMMEDIATE transactions) unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a write transaction takes the database lock when it starts,
    # which is what serialises registrations on SQLite (no SELECT FOR UPDATE).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: French for visitors and editors, through gettext.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

# Static and media files. WhiteNoise serves static files in every environment.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Eligibility proofs (tiers « justificatif à téléverser »): a private folder, outside MEDIA_ROOT, never served
# publicly (staff download them through the admin). Several app servers must share it (a common disk).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
PROOF_MAX_UPLOAD_SIZE = 5_000_000  # bytes: 5 Mo per file
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Cache: local memory unless REDIS_URL is set (shared by every app server).
# A Redis that is down or hung must never take the site down: the backend answers
# like a miss, with short socket timeouts and a circuit breaker (config/cache_backend.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coursive",
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
            # Seconds Redis is skipped after a failure, before one request tries it again.
            "RETRY_AFTER": float(os.environ.get("REDIS_RETRY_AFTER", "5")),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "coursive",
        }
    }

# Page cache for anonymous visitors (config/cache.py); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_EXCLUDED_PREFIXES = ["/admin/", "/django-admin/", "/documents/", "/inscription/", "/sante/", "/bench/"]

# E-mail: every message is stored in the outbox (outbox/), in the database transaction that caused it,
# and delivered by the task queue through OUTBOX_DELIVERY_BACKEND, so no request waits for the mail
# server. The EMAIL_BACKEND variable names that transport: console by default; SMTP or file in production.
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Seconds for each step of the SMTP conversation (only the worker waits: a request never talks to SMTP).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Sent (and finally failed) messages are deleted after this many days by `anonymize_registrations`.
OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "La Coursive Boutaric <contact@lacoursiveboutaric.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Task queue: immediate unless TASK_BACKEND names another backend (production:
# django_tasks_db.DatabaseBackend, a durable queue processed by `db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Rate limits (django-ratelimit) use the shared cache; off for load tests.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "default"
# A cache that cannot count lets everyone through rather than no one (the cache backend logs the outage).
RATELIMIT_FAIL_OPEN = True
# Behind nginx every request comes from 127.0.0.1: count per visitor, not per proxy.
RATELIMIT_IP_META_KEY = "config.security.client_ip"

# Personal data of past events is erased after this many days.
REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "180"))
# Contact-form messages are deleted this many days after they were received (same command).
CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", "365"))
# The registration and contact forms refuse submissions sent faster than this (robots); 0 for load tests.
REGISTRATION_MIN_FILL_SECONDS = int(os.environ.get("REGISTRATION_MIN_FILL_SECONDS", "3"))

# Online payment through HelloAsso Checkout (registrations/online_payment.py): off unless the three
# first are set. The API's base URL: production by default, https://api.helloasso-sandbox.com to test.
HELLOASSO_CLIENT_ID = os.environ.get("HELLOASSO_CLIENT_ID", "")
HELLOASSO_CLIENT_SECRET = os.environ.get("HELLOASSO_CLIENT_SECRET", "")
HELLOASSO_ORGANIZATION_SLUG = os.environ.get("HELLOASSO_ORGANIZATION_SLUG", "")
HELLOASSO_API_URL = os.environ.get("HELLOASSO_API_URL", "https://api.helloasso.com").rstrip("/")
# The notification URL's signature key (header x-ha-signature, HMAC-SHA256 of the body), when HelloAsso gives one.
HELLOASSO_SIGNATURE_KEY = os.environ.get("HELLOASSO_SIGNATURE_KEY", "")
# Seconds each call to the HelloAsso API may take before the person is told to try again.
HELLOASSO_TIMEOUT = float(os.environ.get("HELLOASSO_TIMEOUT", "10"))

# Wagtail
WAGTAIL_SITE_NAME = "La Coursive Boutaric"
# Links in the admin's e-mails; in development it follows the port `make run` serves on.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"
# The admin's login form with French labels (Wagtail leaves the field names "Username"/"Password").
WAGTAILADMIN_USER_LOGIN_FORM = "config.admin_forms.LoginForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming with accents folded (search/migrations/0001), as SQLite folds them.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "tiff": "png"}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: editors' avatars would otherwise be fetched from a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No autosave: on a new page, Wagtail 7.4's autosave creates the page in the background as soon as the form is
# valid; an editor clicking « Enregistrer le brouillon » or « Publier » while it does sent a second creation with
# the same slug, answered by a server error (seen in a browser journey). And each pause in typing would store a
# revision of an event, after its full check (a series' dates, the holidays), filling its history. Editors save
# when they choose; leaving a page with unsaved changes still asks for confirmation.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# News labels get ASCII slugs ("Coopérer" -> /libelle/cooperer/).
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # One line per task run and per request check is noise on the console; failures still show.
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
