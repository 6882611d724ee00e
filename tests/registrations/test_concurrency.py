"""Never overbooked: real threads, each with its own database connection, racing for seats.

PostgreSQL: the event row is locked with SELECT … FOR UPDATE. SQLite: every
transaction starts with BEGIN IMMEDIATE (one writer at a time). The SQLite
variant runs on a file copy of the test database (see ``sqlite_file_copy``).
"""

import datetime
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import pytest
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from registrations import services
from registrations.models import Registration, RegistrationSource, RegistrationStatus
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
    """Start the calls ``workers`` at a time, each round at once (barrier); return their results or exceptions.

    A last round smaller than the barrier starts without it (it would only wait for the timeout).
    """
    arguments = list(arguments)
    parties = min(workers, len(arguments))
    barrier = threading.Barrier(parties)
    in_full_rounds = len(arguments) - len(arguments) % parties

    def call(item):
        index, argument = item
        if index < in_full_rounds:
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=60)
        try:
            return function(argument)
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            return error

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(in_own_connection(call), enumerate(arguments)))


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
    # One seat each: first fit is first come, first served; everyone promoted registered before everyone waiting.
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


def offers_with_people_waiting(home_page, capacity, waiting):
    """A full event with offers on and ``waiting`` people on its list; half the seats are then freed and offered."""
    event = make_event(home_page, capacity=capacity, waitlist_offers=True)
    for n in range(capacity + waiting):
        services.register(event, **person(2000 + n))
    confirmed = list(Registration.objects.filter(event=event, status=S.CONFIRMED).order_by("pk"))
    for registration in confirmed[: capacity // 2]:
        services.cancel(registration)
    offered = list(Registration.objects.filter(event=event, status=S.OFFERED).order_by("pk"))
    assert len(offered) == capacity // 2
    return event, offered


def watch_held_seats(event):
    """Start a thread sampling the seats held (confirmed + live offers); returns (stop, peaks)."""
    stop = threading.Event()
    peaks = []

    def watch():
        try:
            while not stop.is_set():
                peaks.append(services.seats_taken(event))
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()

    def finish():
        stop.set()
        watcher.join()
        return peaks

    return finish


def offers_mailed(event):
    """How many offer e-mails each address received."""
    return Counter(m.to[0] for m in mail.outbox if m.subject.startswith("Une place vous est proposée"))


def assert_racing_answers_never_overbook(event, offered, newcomers, workers, rng):
    """Every offer accepted (or declined) twice at once, amid new registrations."""
    mail.outbox.clear()
    declining = {r.pk for r in rng.sample(offered, len(offered) // 3)}
    jobs = [("answer", r.pk) for r in offered] * 2 + [("register", n) for n in range(newcomers)]
    rng.shuffle(jobs)

    def job(item):
        action, value = item
        if action == "register":
            return services.register(event, **person(value))
        registration = Registration.objects.get(pk=value)
        answer = services.decline_offer if value in declining else services.accept_offer
        return answer(registration)

    finish = watch_held_seats(event)
    try:
        results = race(job, jobs, workers)
    finally:
        peaks = finish()
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.InvalidTransition) for e in errors), errors
    assert len(errors) == len(offered)  # exactly one answer of each pair counted
    assert max(peaks) <= event.capacity
    assert services.seats_taken(event) == event.capacity  # declined seats offered on at once
    accepted = Registration.objects.filter(pk__in=[r.pk for r in offered], status=S.CONFIRMED)
    assert accepted.count() == len(offered) - len(declining)
    mailed = offers_mailed(event)
    assert set(mailed.values()) <= {1}  # nobody was offered a seat twice
    assert sum(r.seats for r in Registration.objects.filter(event=event, status=S.OFFERED)) == len(declining)


def assert_expiries_race_with_registrations_and_accepts(event, offered, newcomers, workers, rng):
    """Half the offers lapse; cron runs, their owners click, others accept and newcomers arrive, all at once."""
    mail.outbox.clear()
    lapsed = rng.sample(offered, len(offered) // 2)
    past = timezone.now() - datetime.timedelta(minutes=1)
    Registration.objects.filter(pk__in=[r.pk for r in lapsed]).update(expires_at=past)
    jobs = (
        [("accept", r.pk) for r in offered]
        + [("cron", n) for n in range(4)]
        + [("read", n) for n in range(4)]
        + [("register", n) for n in range(newcomers)]
    )
    rng.shuffle(jobs)

    def job(item):
        action, value = item
        if action == "cron":
            return services.expire_holds()
        if action == "read":
            return services.availability(event)
        if action == "register":
            return services.register(event, **person(value))
        return services.accept_offer(Registration.objects.get(pk=value))

    finish = watch_held_seats(event)
    try:
        results = race(job, jobs, workers)
    finally:
        peaks = finish()
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.OfferExpired) for e in errors), errors
    assert len(errors) == len(lapsed)  # every lapsed offer refused, every live one accepted
    assert max(peaks) <= event.capacity
    assert services.seats_taken(event) == event.capacity
    lapsed_ids = [r.pk for r in lapsed]
    assert Registration.objects.filter(pk__in=lapsed_ids, status=S.CANCELLED).count() == len(lapsed)
    live = [r.pk for r in offered if r.pk not in lapsed_ids]
    assert Registration.objects.filter(pk__in=live, status=S.CONFIRMED).count() == len(live)
    mailed = offers_mailed(event)
    assert sum(mailed.values()) == len(lapsed)  # each released seat offered once, to one new person
    assert set(mailed.values()) == {1}
    assert not set(mailed) & {r.email for r in offered}


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_racing_answers_to_offers(home_page, rng):
    event, offered = offers_with_people_waiting(home_page, capacity=30, waiting=40)
    assert_racing_answers_never_overbook(event, offered, newcomers=30, workers=30, rng=rng)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_expiries_race_with_registrations_and_accepts(home_page, rng):
    event, offered = offers_with_people_waiting(home_page, capacity=30, waiting=40)
    assert_expiries_race_with_registrations_and_accepts(event, offered, newcomers=37, workers=30, rng=rng)


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_address_holds_expire_amid_registrations(home_page, rng):
    """Web registrations hold seats until their click; lapsed holds, clicks and newcomers race."""
    event = make_event(home_page, capacity=20, verify_email=True)
    holds = [services.register(event, **person(3000 + n)) for n in range(20)]
    assert services.seats_taken(event) == 20
    lapsed = rng.sample(holds, 10)
    past = timezone.now() - datetime.timedelta(minutes=1)
    Registration.objects.filter(pk__in=[r.pk for r in lapsed]).update(expires_at=past)
    mail.outbox.clear()
    jobs = [("click", r.pk) for r in holds] + [("cron", n) for n in range(4)]
    # Phone sign-ups, decided at once without a click.
    jobs += [("staff", n) for n in range(36)]
    rng.shuffle(jobs)

    def job(item):
        action, value = item
        if action == "cron":
            return services.expire_holds()
        if action == "staff":
            return services.register(event, **person(value), source=RegistrationSource.STAFF)
        return services.verify_address(Registration.objects.get(pk=value))

    finish = watch_held_seats(event)
    try:
        results = race(job, jobs, workers=30)
    finally:
        peaks = finish()
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.OfferExpired) for e in errors), errors
    assert len(errors) == len(lapsed)
    assert max(peaks) <= 20
    assert services.seats_taken(event) == 20  # the 10 freed seats went to 10 phone sign-ups or the list
    assert Registration.objects.filter(event=event, status=S.CONFIRMED, source=RegistrationSource.WEB).count() == 10


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
    # WAL before any thread connects: racing connections that each switch the file to WAL (our
    # init_command) can get "database is locked" at once, without the busy timeout (CI saw it).
    target.execute("PRAGMA journal_mode=WAL")
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


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_racing_answers_to_offers(home_page, tmp_path, rng):
    with sqlite_file_copy(tmp_path / "race.sqlite3"):
        event, offered = in_a_thread(offers_with_people_waiting, home_page, capacity=10, waiting=12)
        in_a_thread(assert_racing_answers_never_overbook, event, offered, newcomers=6, workers=8, rng=rng)


@on_sqlite
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_expiries_race_with_registrations_and_accepts(home_page, tmp_path, rng):
    with sqlite_file_copy(tmp_path / "race.sqlite3"):
        event, offered = in_a_thread(offers_with_people_waiting, home_page, capacity=10, waiting=12)
        in_a_thread(
            assert_expiries_race_with_registrations_and_accepts, event, offered, newcomers=11, workers=8, rng=rng
        )
