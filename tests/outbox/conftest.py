"""Fixtures of the outbox tests: the production task queue, real SMTP transports, a worker to run by hand."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from tests.outbox.smtp_servers import HangingSMTPServer, RecordingSMTPServer, closed_port
from tests.registrations.factories import make_event


@pytest.fixture(autouse=True)
def _fast_forms_everywhere(fast_forms):
    """Registrations and contact messages are posted at once in these tests."""


@pytest.fixture
def event(home_page):
    return make_event(home_page)


@pytest.fixture
def database_queue(settings):
    """The task queue of production (django_tasks_db): tasks are rows, written in the caller's transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _smtp(settings, port, timeout=1):
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, timeout
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def smtp_server(settings):
    """Delivery through Django's SMTP backend to a server that records what it accepts."""
    with RecordingSMTPServer() as server:
        _smtp(settings, server.port)
        yield server


@pytest.fixture
def hanging_smtp(settings):
    """Delivery through Django's SMTP backend to a server that accepts and never answers."""
    with HangingSMTPServer() as server:
        _smtp(settings, server.port)
        yield server


@pytest.fixture
def refusing_smtp(settings):
    """Delivery through Django's SMTP backend to a port where the connection is refused (server down)."""
    _smtp(settings, closed_port())


def run_worker():
    """What ``manage.py db_worker --batch`` does, inside the test's transaction: claim each ready task, run it.

    Returns the task rows it ran. (The real loop also closes "old" connections,
    which would close the test's own.)
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = []
    while True:
        with exclusive_transaction():
            task_row = DBTaskResult.objects.ready().get_locked()
            if task_row is None:
                return ran
            task_row.claim(worker.worker_id)
        worker.run_task(task_row)
        task_row.refresh_from_db()
        ran.append(task_row)
