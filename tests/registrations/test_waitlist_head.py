"""A waiting request too large for the free seats keeps its rank but never blocks the smaller ones behind it."""

import pytest
from django.core import mail

from registrations import services
from registrations.models import RegistrationStatus
from registrations.signals import availability_changed
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def test_a_small_request_behind_a_large_one_gets_the_free_seat_at_once(home_page, commit, client):
    event = make_event(home_page, capacity=3, max_seats_per_registration=3)
    with commit():
        services.register(event, seats=1, **person(1))
        head = services.register(event, seats=3, **person(2))
        behind = services.register(event, seats=1, **person(3))
    assert head.status == S.WAITLISTED
    assert behind.status == S.CONFIRMED  # nobody waiting fits the seat: the newcomer takes it
    assert services.availability(event).state == "open"
    assert "1 place restante" in client.get(event.url).content.decode()


@pytest.fixture
def full_with_a_large_head(home_page, commit):
    """3 seats all confirmed; the head of the list wants 3, a request for 1 waits behind it."""
    event = make_event(home_page, capacity=3, max_seats_per_registration=3)
    with commit():
        leaving = services.register(event, seats=1, **person(1))
        services.register(event, seats=2, **person(4))
        head = services.register(event, seats=3, **person(2))
        behind = services.register(event, seats=1, **person(3))
    assert [r.status for r in (leaving, head, behind)] == [S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    mail.outbox.clear()
    return event, leaving, head, behind


def test_a_freed_seat_goes_to_the_first_request_that_fits(full_with_a_large_head, commit, client):
    event, leaving, head, behind = full_with_a_large_head
    received = []
    listener = lambda sender, event, **kwargs: received.append(event.pk)  # noqa: E731
    availability_changed.connect(listener)
    try:
        with commit():
            services.cancel(leaving)
    finally:
        availability_changed.disconnect(listener)
    head.refresh_from_db()
    behind.refresh_from_db()
    assert head.status == S.WAITLISTED and head.waitlist_position() == 1
    assert behind.status == S.CONFIRMED
    assert received == [event.pk]  # cached pages learn the new figure
    assert any(m.to == ["camille3@example.org"] and "place s'est libérée" in m.subject for m in mail.outbox)
    assert "Complet" in client.get(event.url).content.decode()


@pytest.mark.parametrize("leave", [services.cancel, services.reject])
def test_the_head_leaving_frees_no_seat_and_changes_nothing_for_the_others(full_with_a_large_head, commit, leave):
    event, _leaving, head, behind = full_with_a_large_head
    with commit():
        leave(head)
    behind.refresh_from_db()
    assert behind.status == S.WAITLISTED and behind.waitlist_position() == 1
    assert services.seats_remaining(event) == 0


def test_a_newcomer_joining_the_list_while_seats_are_free_is_announced(home_page, commit):
    event = make_event(home_page, capacity=2, max_seats_per_registration=3)
    received = []
    listener = lambda sender, event, **kwargs: received.append(event.pk)  # noqa: E731
    availability_changed.connect(listener)
    try:
        with commit():
            registration = services.register(event, seats=3, **person(1))
    finally:
        availability_changed.disconnect(listener)
    assert registration.status == S.WAITLISTED
    assert received == [event.pk]  # the waiting list grew: the page's figures are refreshed
