"""A series is booked date by date: each occurrence is a bookable unit with its own seats and waiting list."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from events.models import OccurrenceStatus
from registrations import services, tokens
from registrations.booking import BookableUnit, NotBookable
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.series import add_date, make_series

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def series(home_page):
    return make_series(home_page, capacity=2)


def test_the_unit_answers_capacity_dates_and_registrations(home_page, series):
    event, (first, second, _third) = series
    second.capacity = 5
    second.save()
    single = make_event(home_page, capacity=4)
    assert BookableUnit.of(single).capacity == 4
    assert BookableUnit.of(single).start == single.start
    assert BookableUnit.of(event, first).capacity == 2  # the series' seats
    assert BookableUnit.of(event, second).capacity == 5  # its own
    assert BookableUnit.of(event, second).start == second.start
    services.register(event, occurrence=first, **person(1))
    services.register(single, **person(2))
    assert list(BookableUnit.of(event, first).registrations.values_list("email", flat=True)) == ["camille1@example.org"]
    assert not BookableUnit.of(event, second).registrations.exists()
    assert BookableUnit.of(single).registrations.count() == 1


def test_the_unit_refuses_pairs_that_do_not_hold_together(home_page, series):
    event, (first, *_rest) = series
    other, (foreign, *_more) = make_series(home_page)
    single = make_event(home_page)
    with pytest.raises(NotBookable, match="Choisissez une date"):
        BookableUnit.of(event)
    with pytest.raises(NotBookable, match="n'appartient pas"):
        BookableUnit.of(event, foreign)
    with pytest.raises(NotBookable, match="pas de dates"):
        BookableUnit.of(single, add_date(single, 3))  # a stray date on an event that is not a series


def test_each_date_has_its_own_seats_and_waiting_list(series):
    event, (first, second, _third) = series
    statuses = [services.register(event, occurrence=first, **person(n)).status for n in range(3)]
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert services.register(event, occurrence=second, **person(9)).status == S.CONFIRMED
    assert services.seats_taken(event, occurrence=first) == 2
    assert services.seats_remaining(event, occurrence=second) == 1
    waiting = Registration.objects.get(occurrence=first, status=S.WAITLISTED)
    assert waiting.waitlist_position() == 1
    # The same person books two dates; never twice the same date.
    services.register(event, occurrence=second, **person(0))
    with pytest.raises(services.AlreadyRegistered):
        services.register(event, occurrence=first, **person(0))


def test_cancelling_promotes_from_that_dates_list_only(series, commit):
    event, (first, second, _third) = series
    booked = [services.register(event, occurrence=first, **person(n)) for n in range(2)]
    waiting_first = services.register(event, occurrence=first, **person(2))
    for n in range(3, 6):
        services.register(event, occurrence=second, **person(n))
    waiting_second = Registration.objects.get(occurrence=second, status=S.WAITLISTED)
    mail.outbox.clear()
    with commit():
        services.cancel(booked[0])
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == S.CONFIRMED
    assert waiting_second.status == S.WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == ["camille0@example.org", "camille2@example.org"]


def test_a_series_is_refused_without_a_date_a_foreign_cancelled_or_past_date(home_page, series):
    event, (first, second, _third) = series
    _other, (foreign, *_more) = make_series(home_page)
    with pytest.raises(services.RegistrationClosed, match="Choisissez une date"):
        services.register(event, **person(1))
    with pytest.raises(services.RegistrationClosed, match="n'appartient pas"):
        services.register(event, occurrence=foreign, **person(1))
    second.status = OccurrenceStatus.CANCELLED
    second.save()
    with pytest.raises(services.RegistrationClosed, match="Cette date est annulée"):
        services.register(event, occurrence=second, **person(1))
    past = add_date(event, -1)
    for source in ("web", "staff"):
        with pytest.raises(services.RegistrationClosed, match="Cette date est passée"):
            services.register(event, occurrence=past, source=source, **person(1))
    assert not Registration.objects.exists()


def test_a_date_closes_at_its_start_or_at_the_events_closing_if_earlier(series):
    event, (first, second, _third) = series
    with freeze_time(first.start + datetime.timedelta(minutes=1)):
        assert services.availability(event, occurrence=first).state == "closed"
        assert services.availability(event, occurrence=second).state == "open"
    event.registration_closes_at = first.start + datetime.timedelta(days=1)
    event.save()
    opens_at, closes_at = services.registration_window(event, second)
    assert closes_at == event.registration_closes_at
    with freeze_time(event.registration_closes_at + datetime.timedelta(minutes=1)):
        assert services.availability(event, occurrence=second).state == "closed"
        with pytest.raises(services.RegistrationClosed):
            services.register(event, occurrence=second, **person(1))


def test_availability_of_a_series_and_of_its_dates(series):
    event, (first, second, third) = series
    for n in range(2):
        services.register(event, occurrence=first, **person(n))
    third.status = OccurrenceStatus.CANCELLED
    third.save()
    assert services.availability(event).state == "dates"
    assert not services.availability(event).accepts_registrations
    states = services.occurrence_availabilities(event, [first, second, third])
    assert states[first.pk].state == "full_waitlist"
    assert states[second.pk].seats_remaining == 2
    assert states[third.pk].state == "cancelled_event"
    assert [choice.occurrence.pk for choice in services.series_dates(event)] == [first.pk, second.pk, third.pk]


def test_raising_the_series_capacity_serves_every_dates_waiting_list(series):
    event, (first, second, _third) = series
    for date in (first, second):
        for n in range(3):
            services.register(event, occurrence=date, **person(n))
    event.capacity = 3
    event.save()
    promoted = services.promote_waitlist(event)
    assert sorted(r.occurrence_id for r in promoted) == [first.pk, second.pk]


def test_expired_offers_of_a_date_are_released_by_cron(home_page):
    event, (first, _second, _third) = make_series(home_page, capacity=1, waitlist_offers=True)
    booked = services.register(event, occurrence=first, **person(1))
    services.register(event, occurrence=first, **person(2))
    services.cancel(booked)
    offered = Registration.objects.get(occurrence=first, status=S.OFFERED)
    with freeze_time(offered.expires_at + datetime.timedelta(minutes=1)):
        assert services.expire_holds() == 1
    offered.refresh_from_db()
    assert offered.status == S.CANCELLED


def test_single_events_keep_working_without_a_date(event):
    registration = services.register(event, **person(1))
    assert registration.occurrence is None
    assert services.availability(event).seats_remaining == event.capacity - 1
    assert services.availabilities([event])[event.pk].seats_remaining == event.capacity - 1


def test_retention_and_links_follow_the_booked_date_not_the_series(series):
    event, (first, second, _third) = series
    on_second = services.register(event, occurrence=second, **person(1))
    event.start = timezone.now() - datetime.timedelta(days=400)  # the series began long ago
    event.end = event.start + datetime.timedelta(hours=2)
    event.save()
    on_second.refresh_from_db()
    assert not tokens.manage_link_expired(on_second)
    call_command("anonymize_registrations", days=30, stdout=io.StringIO())
    on_second.refresh_from_db()
    assert on_second.anonymized_at is None
    past = add_date(event, -60)
    gone = Registration.objects.create(
        event=event, occurrence=past, first_name="A", last_name="B", email="a@example.org", status=S.CONFIRMED
    )
    assert tokens.manage_link_expired(gone)
    call_command("anonymize_registrations", days=30, stdout=io.StringIO())
    gone.refresh_from_db()
    assert gone.anonymized_at is not None


def test_an_offer_declined_goes_to_the_next_person_of_that_date(home_page):
    event, (first, second, _third) = make_series(home_page, capacity=1, waitlist_offers=True)
    booked = services.register(event, occurrence=first, **person(1))
    next_in_line = services.register(event, occurrence=first, **person(2))
    after = services.register(event, occurrence=first, **person(3))
    services.register(event, occurrence=second, **person(8))
    elsewhere = services.register(event, occurrence=second, **person(9))
    services.cancel(booked)
    next_in_line.refresh_from_db()
    assert next_in_line.status == S.OFFERED
    assert next_in_line.expires_at <= first.start
    services.decline_offer(next_in_line)
    after.refresh_from_db()
    elsewhere.refresh_from_db()
    assert after.status == S.OFFERED and elsewhere.status == S.WAITLISTED
    services.accept_offer(after)
    after.refresh_from_db()
    assert after.status == S.CONFIRMED
    assert services.seats_taken(event, occurrence=first) == 1
