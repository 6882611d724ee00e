"""Each date of a series is its own bookable unit under its own lock, proven on real PostgreSQL connections.

Many people racing for one date never overbook it; a lock held on one date
does not make the other dates of the series wait, while it does serialise
the decisions of its own date.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from registrations import services
from registrations.booking import BookableUnit
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import person
from tests.registrations.series import make_series
from tests.registrations.test_concurrency import on_postgres, race

S = RegistrationStatus


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_60_people_for_15_seats_of_one_date(home_page):
    event, (date, other, _third) = make_series(home_page, capacity=15)
    results = race(lambda n: services.register(event, occurrence=date, **person(n)), range(60), workers=30)
    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = Counter(Registration.objects.filter(occurrence=date).values_list("status", flat=True))
    assert statuses == {S.CONFIRMED: 15, S.WAITLISTED: 45}
    assert services.seats_taken(event, occurrence=date) == 15
    assert not Registration.objects.filter(occurrence=other).exists()
    positions = sorted(r.waitlist_position() for r in Registration.objects.filter(occurrence=date, status=S.WAITLISTED))
    assert positions == list(range(1, 46))


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_both_dates_race_at_once_each_within_its_seats(home_page):
    event, (first, second, _third) = make_series(home_page, capacity=10)
    second.capacity = 4
    second.save()
    jobs = [(first, n) for n in range(25)] + [(second, 100 + n) for n in range(25)]
    results = race(lambda job: services.register(event, occurrence=job[0], **person(job[1])), jobs, workers=25)
    assert [r for r in results if isinstance(r, Exception)] == []
    for date, capacity in ((first, 10), (second, 4)):
        statuses = Counter(Registration.objects.filter(occurrence=date).values_list("status", flat=True))
        assert statuses == {S.CONFIRMED: capacity, S.WAITLISTED: 25 - capacity}


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_a_lock_on_one_date_does_not_serialise_another(home_page):
    event, (held_date, free_date, _third) = make_series(home_page, capacity=5)
    locked, release = threading.Event(), threading.Event()
    done = {}

    def hold_lock():
        try:
            with transaction.atomic():
                BookableUnit.of(event, held_date).lock()
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def register(key, date, n):
        try:
            done[key] = services.register(event, occurrence=date, **person(n))
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(timeout=10)
    same_date = threading.Thread(target=register, args=("same", held_date, 1))
    other_date = threading.Thread(target=register, args=("other", free_date, 2))
    try:
        same_date.start()
        other_date.start()
        other_date.join(timeout=10)
        assert not other_date.is_alive(), "the other date waited for a lock it does not need"
        assert done["other"].status == S.CONFIRMED
        same_date.join(timeout=1)
        assert same_date.is_alive(), "the locked date let a seat decision through"
        assert "same" not in done
    finally:
        release.set()
        holder.join(timeout=10)
        same_date.join(timeout=10)
    assert done["same"].status == S.CONFIRMED
