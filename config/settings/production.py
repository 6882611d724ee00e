"""Production: refuses to start without SECRET_KEY or TRUSTED_PROXY_COUNT; HTTPS, secure cookies, durable e-mail queue.

Everything else comes from the environment (see .env.example and docs/deployment.md).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, SECRET_KEY, env_bool, env_count

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY doit être défini dans l'environnement en production.")

DEBUG = False

# HTTPS: nginx terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer's health probe may speak plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# DENY everywhere; Wagtail's preview views override it with SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
# How many proxies in front of gunicorn append to X-Forwarded-For (config/security.py, client_ip):
# rate limits and the login lockout count the address it gives. No default: with gunicorn reached
# directly, trusting one proxy would let anyone choose their address with a forged header.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT")
if TRUSTED_PROXY_COUNT is None:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT doit être défini explicitement en production : 1 derrière nginx, "
        "0 si gunicorn est joint directement. / TRUSTED_PROXY_COUNT must be set explicitly in production: "
        "1 behind nginx, 0 when gunicorn is reached directly."
    )

# E-mails go through the durable database queue, processed by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# A per-process cache cannot be purged across gunicorn workers: without Redis,
# the page cache would serve stale seat counts, so it is off unless asked for.
if not REDIS_URL:
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))

# Media on S3-compatible object storage (django-storages) when a bucket is named;
# otherwise on the local disk under MEDIA_ROOT (served by nginx).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "media")
    AWS_DEFAULT_ACL = None  # the bucket's policy decides
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405
    media_host = AWS_S3_CUSTOM_DOMAIN or AWS_S3_ENDPOINT_URL or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    CSP_EXTRA_MEDIA_SOURCES = [media_host if "://" in media_host else f"https://{media_host}"]
