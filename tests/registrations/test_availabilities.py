"""``services.availabilities``: the agenda's many events read in one query, decided as ``availability`` decides."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventStatus
from registrations import services
from registrations.models import RegistrationMode, RegistrationStatus
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db


def test_many_events_are_read_in_one_query_and_agree_with_availability(home_page):
    open_event = make_event(home_page, slug="ouvert", capacity=5)
    make_registration(open_event, seats=2)
    full = make_event(home_page, slug="complet", capacity=1, waitlist_enabled=False)
    make_registration(full)
    waiting = make_event(home_page, slug="attente", capacity=1)
    make_registration(waiting)
    make_registration(waiting, status=RegistrationStatus.WAITLISTED)
    unlimited = make_event(home_page, slug="illimite", capacity=None)
    external = make_event(
        home_page, slug="externe", registration_mode=RegistrationMode.EXTERNAL, registration_url="https://example.org/"
    )
    cancelled = make_event(home_page, slug="annule", status=EventStatus.CANCELLED)
    events = [open_event, full, waiting, unlimited, external, cancelled]

    with CaptureQueriesContext(connection) as queries:
        states = services.availabilities(events)

    assert len(queries) == 1
    assert states == {event.pk: services.availability(event) for event in events}
    assert [states[event.pk].state for event in events] == [
        "open",
        "full",
        "full_waitlist",
        "open",
        "external",
        "cancelled_event",
    ]
    assert states[open_event.pk].seats_remaining == 3


def test_a_seat_someone_waiting_fits_is_still_handed_on_at_the_first_read(home_page):
    """The rule of ``availability`` (nobody waits for cron) holds when the agenda reads first."""
    event = make_event(home_page, capacity=2, waitlist_offers=False)
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)

    states = services.availabilities([event])

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert states[event.pk].state == "full_waitlist"
    assert states[event.pk].seats_remaining == 0


def test_no_event_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert services.availabilities([]) == {}
    assert len(queries) == 0
