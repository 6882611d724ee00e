"""SQL built once per process (core/compiled_queries.py) gives exactly what the ORM gives, with each call's values."""

import datetime

import pytest
from django.db import OperationalError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.routing import page_query
from core.compiled_queries import CompiledAggregate, CompiledQuery
from events.models import EventPage
from registrations import services
from registrations.booking import LOCKED_EVENT, registrations_of_event
from registrations.figures import seat_aggregates
from registrations.models import RegistrationStatus
from registrations.views import LIVE_EVENT
from tests.events.factories import VenueFactory
from tests.registrations.factories import make_event, make_registration, person
from tests.registrations.series import make_series

pytestmark = pytest.mark.django_db

FIELDS = ["pk", "title", "slug", "url_path", "path", "depth", "live", "start", "end", "capacity", "status"]


def same_page(compiled, orm):
    for name in FIELDS:
        assert getattr(compiled, name) == getattr(orm, name), name
    assert type(compiled) is type(orm)


def test_a_routed_page_is_read_as_the_orm_reads_it_with_its_related_objects_in_the_same_query(home_page):
    venue = VenueFactory(name="La Coursive, salle haute")
    events = [make_event(home_page, title=f"Atelier {n}", slug=f"atelier-{n}", venue=venue) for n in range(3)]
    query = page_query(EventPage)
    for event in events:  # one SQL, three values
        orm = EventPage.objects.select_related("venue", "category", "image").get(pk=event.pk)
        with CaptureQueriesContext(connection) as queries:
            page = query.first(event.pk)
            assert page.venue.name == "La Coursive, salle haute"  # filled in, no query of its own
            assert page.category is None and page.image is None
        assert len(queries) == 1
        same_page(page, orm)
        assert page.start.tzinfo is not None  # converted as the ORM converts (aware datetimes)
    assert query.first(-5) is None


def test_the_seats_of_an_event_are_counted_as_the_orm_counts_them_at_each_instant(home_page):
    event = make_event(home_page, capacity=3, verify_email=True)
    now = timezone.now()
    services.register(event, **person(1))  # holds its seat 30 minutes, until the click
    make_registration(event, email="b@example.org", status=RegistrationStatus.CONFIRMED, seats=2)
    make_registration(event, email="c@example.org", status=RegistrationStatus.WAITLISTED, seats=1)
    compiled = services.EVENT_SEAT_COUNTS
    for instant in (now, now + datetime.timedelta(minutes=31), now - datetime.timedelta(days=1)):
        orm = registrations_of_event(event.pk).aggregate(**seat_aggregates(instant))
        assert compiled.values(event.pk, instant) == orm
    # The hold counts until its deadline, then is an expired hold to release.
    assert compiled.values(event.pk, now)["held"] == 3
    later = compiled.values(event.pk, now + datetime.timedelta(minutes=31))
    assert later["held"] == 2 and later["expired"] == 1 and later["smallest_waiting"] == 1


def test_a_date_of_a_series_counts_its_own_seats(home_page):
    event, (first, second, _third) = make_series(home_page, capacity=4)
    services.register(event, occurrence=first, **person(1))
    now = timezone.now()
    assert services.OCCURRENCE_SEAT_COUNTS.values(first.pk, now)["held"] == 1
    assert services.OCCURRENCE_SEAT_COUNTS.values(second.pk, now)["held"] == 0


def test_a_query_whose_value_is_not_a_parameter_is_run_by_the_orm_each_time(home_page):
    make_event(home_page, title="Atelier seul", slug="atelier-seul")
    ignores_its_value = CompiledQuery(lambda pk: EventPage.objects.filter(pk__gt=0).order_by("pk"), int)
    assert [page.title for page in ignores_its_value.objects(12)] == ["Atelier seul"]
    assert ignores_its_value.compiled()[1] is None  # nothing kept: the ORM ran it
    # Its id is not used: the stand-in is not among the parameters, so the SQL is not kept.
    counts = CompiledAggregate(lambda pk: registrations_of_event(0).aggregate(**seat_aggregates(timezone.now())), int)
    with pytest.raises(TypeError):
        CompiledAggregate(lambda day: None, datetime.date)
    assert counts.compiled()[1] is None


def test_the_lock_is_read_in_the_decisions_transaction(home_page):
    event = make_event(home_page, capacity=7)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = LOCKED_EVENT.first(event.pk)
    assert locked.pk == event.pk and locked.capacity == 7
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in queries[-1]["sql"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lock_refuses_to_run_outside_a_transaction_where_the_database_locks_rows(home_page):
    event = make_event(home_page)
    with transaction.atomic():
        LOCKED_EVENT.first(event.pk)  # built here, in a transaction, if it was not already
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            LOCKED_EVENT.first(event.pk)
    else:  # SQLite: its transactions are IMMEDIATE, there is no row lock to lose
        assert LOCKED_EVENT.first(event.pk).pk == event.pk


def test_a_database_failure_while_building_is_not_remembered(home_page):
    """A blip of the database during the first build fails that call only: the next one builds and keeps the SQL."""
    event = make_event(home_page, capacity=4)
    counts = CompiledAggregate(
        lambda pk, now: registrations_of_event(pk).aggregate(**seat_aggregates(now)), int, datetime.datetime
    )
    calls = []

    def fail_once(execute, sql, params, many, context):
        calls.append(sql)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_once), pytest.raises(OperationalError):
        counts.compiled()
    assert counts.compiled()[1] is not None  # built at the second call, not left to the ORM for good
    make_registration(event, **person(1))
    now = timezone.now()
    assert counts.values(event.pk, now) == registrations_of_event(event.pk).aggregate(**seat_aggregates(now))


def test_a_naive_instant_is_refused(home_page):
    event = make_event(home_page)
    with pytest.raises(ValueError, match="aware"):
        services.EVENT_SEAT_COUNTS.values(event.pk, datetime.datetime(2026, 12, 8, 10, 0))


def test_a_value_derived_from_a_stand_in_is_not_frozen(home_page):
    """``now`` and ``now - 30 minutes`` in one query: the SQL is not kept (the second would stay in 1901)."""
    event = make_event(home_page, title="Atelier du jour", slug="atelier-du-jour")

    def within_a_month(pk, now):
        return EventPage.objects.filter(pk=pk, start__gte=now, start__lte=now + datetime.timedelta(days=30))

    soon = CompiledQuery(within_a_month, int, datetime.datetime)
    assert [page.title for page in soon.objects(event.pk, timezone.now())] == ["Atelier du jour"]
    assert soon.compiled()[1] is None
    # The same query without the derived value is kept, and gives the same answer.
    plain = CompiledQuery(lambda pk, now: EventPage.objects.filter(pk=pk, start__gte=now), int, datetime.datetime)
    assert [page.title for page in plain.objects(event.pk, timezone.now())] == ["Atelier du jour"]
    assert plain.compiled()[1] is not None


def test_the_hot_queries_are_kept_compiled(home_page):
    """The four queries nearly every request runs keep their SQL (a silent fallback to the ORM would cost the speed)."""
    event = make_event(home_page)
    _series, (date, *_others) = make_series(home_page, capacity=4)
    now = timezone.now()
    services.EVENT_SEAT_COUNTS.values(event.pk, now)
    services.OCCURRENCE_SEAT_COUNTS.values(date.pk, now)
    LIVE_EVENT.first(event.pk)
    page_query(EventPage).first(event.pk)
    with transaction.atomic():
        LOCKED_EVENT.first(event.pk)
    for query in (
        services.EVENT_SEAT_COUNTS,
        services.OCCURRENCE_SEAT_COUNTS,
        LIVE_EVENT,
        page_query(EventPage),
        LOCKED_EVENT,
    ):
        assert query.compiled()[1] is not None, query.build
