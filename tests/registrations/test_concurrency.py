"""Never overbooked: real threads, each with its own database connection, racing for seats.

PostgreSQL: the event row is locked with SELECT … FOR UPDATE. SQLite: every
transaction starts with BEGIN IMMEDIATE (one writer at a time). The SQLite
variant runs on a file copy of the test database (see ``sqlite_file_copy``).
"""

import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import pytest
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connection, connections

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person

S = RegistrationStatus
# Transactional tests flush the database afterwards; serialized_rollback restores
# what migrations created (Wagtail's root page) for the tests that follow.
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the race")


def in_own_connection(function):
    """Run ``function`` in a worker thread with its own connection, closed afterwards."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connection.close()

    return run


def race(function, arguments, workers):
    """Start every call at once (barrier) and return their results or exceptions."""
    barrier = threading.Barrier(min(workers, len(arguments)))

    def call(argument):
        with suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=60)
        try:
            return function(argument)
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            return error

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(in_own_connection(call), arguments))


def counts(event):
    return Counter(Registration.objects.filter(event=event).values_list("status", flat=True))


def assert_registrations_never_overbook(event, people, workers):
    results = race(lambda n: services.register(event, **person(n)), range(people), workers)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    status = counts(event)
    assert status[S.CONFIRMED] == event.capacity
    assert status[S.WAITLISTED] == people - event.capacity
    assert services.seats_taken(event) == event.capacity
    positions = sorted(r.waitlist_position() for r in Registration.objects.filter(status=S.WAITLISTED))
    assert positions == list(range(1, people - event.capacity + 1))
    assert len(mail.outbox) == people


def assert_cancellations_never_overbook_nor_double_promote(event, newcomers, workers, rng):
    capacity = event.capacity
    for n in range(capacity * 2):
        services.register(event, **person(1000 + n))
    confirmed = list(Registration.objects.filter(event=event, status=S.CONFIRMED).order_by("pk"))
    mail.outbox.clear()
    # Who cancels and the order of the jobs are drawn from ``rng`` (tests/conftest.py), seeded
    # from TEST_SEED: the seed is printed in the header and beside a failure, and setting it
    # replays the same draws (the threads' interleaving stays the machine's own).
    to_cancel = rng.sample(confirmed, capacity // 2)
    # Each chosen registration is cancelled twice at the same time, amid new registrations.
    jobs = [("cancel", r.pk) for r in to_cancel] * 2 + [("register", n) for n in range(newcomers)]
    rng.shuffle(jobs)
    stop = threading.Event()
    peaks = []

    def watch():
        try:
            while not stop.is_set():
                peaks.append(services.seats_taken(event))
        finally:
            connection.close()

    def job(item):
        action, value = item
        if action == "cancel":
            return services.cancel(Registration.objects.get(pk=value))
        return services.register(event, **person(value))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        results = race(job, jobs, workers)
    finally:
        stop.set()
        watcher.join()
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.InvalidTransition) for e in errors), errors
    assert len(errors) == len(to_cancel)  # exactly one of each pair of cancellations lost
    assert max(peaks) <= capacity
    assert services.seats_taken(event) == capacity  # freed seats were all given to waiting people
    promoted = Registration.objects.filter(event=event, promoted_at__isnull=False)
    assert promoted.count() == len(to_cancel)
    promotion_mails = Counter(m.to[0] for m in mail.outbox if m.subject.startswith("Une place s'est libérée"))
    assert sorted(promotion_mails) == sorted(r.email for r in promoted)
    assert set(promotion_mails.values()) == {1}
    # Strict FIFO: everyone promoted registered before everyone still waiting.
    still_waiting = Registration.objects.filter(event=event, status=S.WAITLISTED).order_by("created_at", "id")
    last_promoted = promoted.order_by("created_at", "id").last()
    assert (last_promoted.created_at, last_promoted.pk) < (still_waiting[0].created_at, still_waiting[0].pk)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_200_people_for_30_seats(home_page):
    event = make_event(home_page, capacity=30)
    assert_registrations_never_overbook(event, people=200, workers=40)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_cancellations_race_with_registrations(home_page, rng):
    event = make_event(home_page, capacity=30)
    assert_cancellations_never_overbook_nor_double_promote(event, newcomers=60, workers=30, rng=rng)


@contextmanager
def sqlite_file_copy(path):
    """Let new connections use a file copy of the in-memory test database.

    pytest-django's SQLite test database lives in memory in shared-cache mode;
    threads can open it, but shared-cache locking answers "database table is
    locked" at once instead of waiting, so it cannot show how real SQLite
    connections (WAL, BEGIN IMMEDIATE, busy timeout) queue up. A file copy can.
    The main thread keeps its in-memory connection, so the work runs in threads.
    """
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    database = connections.settings[DEFAULT_DB_ALIAS]
    in_memory_name = database["NAME"]
    database["NAME"] = str(path)
    try:
        yield
    finally:
        database["NAME"] = in_memory_name


def in_a_thread(function, *args, **kwargs):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(in_own_connection(lambda: function(*args, **kwargs))).result()


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_threads_never_overbook(home_page, tmp_path):
    """50 people for 10 seats on a file SQLite database (see ``sqlite_file_copy``)."""
    event = make_event(home_page, capacity=10)
    with sqlite_file_copy(tmp_path / "race.sqlite3"):
        in_a_thread(assert_registrations_never_overbook, event, people=50, workers=8)


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_cancellations_race_with_registrations(home_page, tmp_path, rng):
    event = make_event(home_page, capacity=10)
    with sqlite_file_copy(tmp_path / "race.sqlite3"):
        in_a_thread(assert_cancellations_never_overbook_nor_double_promote, event, newcomers=20, workers=8, rng=rng)
