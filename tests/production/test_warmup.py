"""gunicorn's master builds, before it forks, what each worker would otherwise build on its first request."""

import importlib

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from config import warmup


def compiled_names():
    """Names held by the cached template loaders (what a forked worker inherits)."""
    names = set()
    for backend in engines.all():
        for loader in backend.engine.template_loaders:
            names.update(key.split("-", 1)[0] for key in getattr(loader, "get_template_cache", {}))
    return names


def test_the_warm_up_compiles_the_projects_templates_and_reads_nothing(settings):
    names = {name for _backend, name in warmup.project_template_names()}
    assert {"base.html", "events/event_page.html", "registrations/register.html"} <= names
    with CaptureQueriesContext(connection) as queries:
        compiled = warmup.warm_up()
    assert compiled >= 100 and len(queries) == 0  # a connection opened before the fork would be shared
    if any(hasattr(loader, "get_template_cache") for b in engines.all() for loader in b.engine.template_loaders):
        assert {"base.html", "events/event_page.html"} <= compiled_names()


def test_gunicorn_warms_up_when_ready_and_a_failure_only_logs(monkeypatch):
    config = importlib.import_module("config.gunicorn")
    assert config.preload_app is True and config.max_requests >= 10_000

    class Server:
        class log:
            errors = []

            @classmethod
            def exception(cls, message):
                cls.errors.append(message)

    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append(True))
    config.when_ready(Server)
    assert calls == [True]

    def broken():
        raise RuntimeError("template folder unreadable")

    monkeypatch.setattr(warmup, "warm_up", broken)
    config.when_ready(Server)  # no exception: gunicorn still starts its workers
    assert Server.log.errors == ["Warm-up failed"]


pytestmark = pytest.mark.django_db
