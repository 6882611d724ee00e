"""Test settings: fast hashing, plain static storage, local-memory cache, in-memory mail."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Mail goes through the outbox as in production; it delivers to the in-memory mail.outbox.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Each pytest-xdist worker (`make test` runs several) writes its uploads and renditions in a folder of its own.
MEDIA_ROOT = BASE_DIR / "var" / "-".join(filter(None, ["test-media", os.environ.get("PYTEST_XDIST_WORKER")]))  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405  (each test gets its own: tests/conftest.py)
WAGTAILADMIN_BASE_URL = "http://testserver"
RATELIMIT_ENABLE = os.environ.get("RATELIMIT_ENABLE", "true").lower() == "true"
WHITENOISE_USE_FINDERS = True
# Not static_collected/: the served benchmarks that some tests run rewrite it with collectstatic, and WhiteNoise,
# scanning it when a test client starts, failed on a file collectstatic had just replaced. Tests serve the app
# folders' files (WHITENOISE_USE_FINDERS); this folder is never written.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
# Tests that need them turn these on with override_settings (tests/production/).
PAGE_CACHE_SECONDS = 0
AXES_ENABLED = False
WARM_RENDITIONS_ON_UPLOAD = False
