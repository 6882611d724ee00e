"""Fixtures for the production concerns: real production settings, page cache on, lockout on."""

import importlib
import sys

import pytest
from django.core.cache import cache
from django.test import override_settings

PRODUCTION_SECURITY_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


@pytest.fixture
def production_module(monkeypatch):
    """config.settings.production, imported fresh with a secret key, nginx in front and no Redis/S3 variables."""
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    for name in ("REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "TASK_BACKEND", "PAGE_CACHE_SECONDS"):
        monkeypatch.delenv(name, raising=False)

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        for module in ("config.settings.production", "config.settings.base"):
            sys.modules.pop(module, None)
        return importlib.import_module("config.settings.production")

    yield load
    for module in ("config.settings.production", "config.settings.base"):
        sys.modules.pop(module, None)


@pytest.fixture
def production_security(production_module):
    """The security values of the real production settings, applied to the test settings."""
    module = production_module()
    values = {name: getattr(module, name) for name in PRODUCTION_SECURITY_SETTINGS}
    with override_settings(**values):
        yield values


@pytest.fixture
def page_cache():
    """The page cache switched on, empty before and after."""
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=300):
        yield cache
    cache.clear()
