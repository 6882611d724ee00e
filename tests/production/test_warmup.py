"""gunicorn's master builds, before it forks, what each worker would otherwise build on its first request."""

import importlib
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
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


WARM_UP_IN_A_FRESH_MASTER = """
import json, socket, threading
connects = []
real_connect = socket.socket.connect
def record(self, address):
    connects.append(str(address))
    return real_connect(self, address)
socket.socket.connect = record
from config.wsgi import application  # what gunicorn's preload does
from config import warmup
compiled = warmup.warm_up()
from django.db import connections
print(json.dumps({
    "compiled": compiled,
    "connects": connects,
    "open_databases": [c.alias for c in connections.all() if c.connection is not None],
    "threads": threading.active_count(),
}))
"""


def test_the_master_opens_no_connection_and_starts_no_thread_before_it_forks():
    """In a fresh process with the production settings, as gunicorn's master: the workers it forks share nothing."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        # Ports where nothing listens: a connection attempt would be recorded (and fail).
        DATABASE_URL="postgres://postgres@127.0.0.1:9/absent",
        REDIS_URL="redis://127.0.0.1:9/0",
        TRUSTED_PROXY_COUNT="1",
    )
    result = subprocess.run(
        [sys.executable, "-c", WARM_UP_IN_A_FRESH_MASTER],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["compiled"] >= 100
    assert found == {**found, "connects": [], "open_databases": [], "threads": 1}
