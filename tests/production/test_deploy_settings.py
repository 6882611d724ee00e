"""Production settings: Django's deployment checklist passes, and the environment drives them."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXY_COUNT"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_to_start_without_an_explicit_proxy_count():
    """With gunicorn reached directly, a default of 1 let a forged X-Forwarded-For choose the address."""
    for value in (None, "", "un"):
        extra = {} if value is None else {"TRUSTED_PROXY_COUNT": value}
        result = run_manage(
            "check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=secrets.token_urlsafe(50), **extra
        )
        assert result.returncode != 0, value
        assert "TRUSTED_PROXY_COUNT doit être défini explicitement en production" in result.stderr
        assert "1 derrière nginx, 0 si gunicorn est joint directement" in result.stderr
        assert "1 behind nginx, 0 when gunicorn is reached directly" in result.stderr


def test_production_takes_the_proxy_count_it_is_given(production_module):
    assert production_module(TRUSTED_PROXY_COUNT="0").TRUSTED_PROXY_COUNT == 0
    assert production_module(TRUSTED_PROXY_COUNT="1").TRUSTED_PROXY_COUNT == 1


def test_production_defaults(production_module):
    production = production_module()
    assert production.DEBUG is False
    assert production.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert production.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Without a shared cache the page cache could not be purged across workers: off.
    assert production.PAGE_CACHE_SECONDS == 0
    assert production.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_production_with_redis_and_object_storage(production_module):
    production = production_module(
        REDIS_URL="redis://127.0.0.1:6379/5",
        AWS_STORAGE_BUCKET_NAME="coursive-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    # Redis down or hung answers like a miss, after a fraction of a second at most (config/cache_backend.py).
    redis_cache = production.CACHES["default"]
    assert redis_cache["BACKEND"] == "config.cache_backend.ResilientRedisCache"
    assert redis_cache["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert redis_cache["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    assert redis_cache["RETRY_AFTER"] == 5
    assert production.RATELIMIT_FAIL_OPEN is True
    assert production.PAGE_CACHE_SECONDS == 300
    assert production.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert production.AWS_STORAGE_BUCKET_NAME == "coursive-media"
    assert production.CSP_EXTRA_MEDIA_SOURCES == ["https://s3.fr-par.scw.cloud"]
    assert production.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("PORT", "8231")
    monkeypatch.delenv("HOST", raising=False)
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert config["workers"] == 5
    assert config["bind"] == "127.0.0.1:8231"
    assert config["preload_app"] is True
    assert config["accesslog"] == "-"
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104
    assert runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["bind"] == "0.0.0.0:8231"
