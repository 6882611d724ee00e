"""A real `manage.py db_worker` process killed with SIGKILL in the middle of a delivery, then restarted.

PostgreSQL only (the worker is another process reading the test database).
The worker is killed while it waits on a mail server that never answers;
what it leaves behind (the task "running" for ever, the message "sending") is
picked up by ``send_queued_emails`` once the lease has passed, and the next
worker delivers the e-mail exactly once.
"""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F
from django_tasks_db.models import DBTaskResult

from outbox import delivery
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from registrations import services
from tests.outbox.smtp_servers import HangingSMTPServer, RecordingSMTPServer
from tests.registrations.factories import make_event, person

ROOT = Path(__file__).resolve().parent.parent.parent
Status = OutgoingEmailStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (a worker in another process)"),
]


def production_env(smtp_port):
    database = connection.settings_dict
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="test-only-worker-key",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
        f"{database['NAME']}",
        CONN_MAX_AGE="0",
        REDIS_URL="",
        TRUSTED_PROXY_COUNT="0",
        TASK_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="60",
        EMAIL_USE_TLS="false",
        LOG_LEVEL="WARNING",
    )
    return environment


def manage(smtp_port, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(smtp_port),
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_a_worker_killed_mid_delivery_then_restarted_delivers_once(home_page, settings):
    event = make_event(home_page)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.register(event, **person(1))  # committed, with its task
    row = OutgoingEmail.objects.get()

    with HangingSMTPServer() as hanging:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=production_env(hanging.port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: hanging.accepted == 1)  # the worker is inside the SMTP conversation
            row.refresh_from_db()
            assert row.status == Status.SENDING
        finally:
            worker.kill()  # SIGKILL: no clean-up of any kind
            worker.wait(timeout=30)

    assert (
        DBTaskResult.objects.get(task_path="outbox.delivery.deliver_email").status == "RUNNING"
    )  # never run again by django-tasks
    assert delivery.requeue_lost() == 0  # within the lease the worker may only be slow
    OutgoingEmail.objects.update(claimed_at=F("claimed_at") - delivery.SENDING_LEASE - datetime.timedelta(minutes=1))
    with RecordingSMTPServer() as server:
        assert "1 e-mail(s) relancé(s)" in manage(server.port, "send_queued_emails").stdout  # what cron runs
        restarted = manage(server.port, "db_worker", "--batch", "--no-startup-delay")
        assert restarted.returncode == 0, restarted.stderr[-2000:]
        assert len(server.received) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    assert delivery.requeue_lost() == 0
