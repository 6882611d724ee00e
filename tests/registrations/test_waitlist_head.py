"""The head of the waiting list leaving (cancel or refusal) lets the smaller requests behind it in."""

import pytest
from django.core import mail

from registrations import services
from registrations.models import RegistrationStatus
from registrations.signals import availability_changed
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def blocked_list(home_page, commit):
    """3 seats, 1 taken; the head of the list wants 3 and blocks a request for 1 behind it."""
    event = make_event(home_page, capacity=3, max_seats_per_registration=3)
    with commit():
        confirmed = services.register(event, seats=1, **person(1))
        head = services.register(event, seats=3, **person(2))
        behind = services.register(event, seats=1, **person(3))
    assert [r.status for r in (confirmed, head, behind)] == [S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    mail.outbox.clear()
    return event, head, behind


@pytest.mark.parametrize("leave", [services.cancel, services.reject])
def test_head_leaving_promotes_the_next_one_that_fits(blocked_list, commit, client, leave):
    event, head, behind = blocked_list
    received = []
    listener = lambda sender, event, **kwargs: received.append(event.pk)  # noqa: E731
    availability_changed.connect(listener)
    try:
        with commit():
            leave(head)
    finally:
        availability_changed.disconnect(listener)
    behind.refresh_from_db()
    assert behind.status == S.CONFIRMED
    assert received == [event.pk]  # cached pages learn the new figure
    assert any(m.to == ["camille3@example.org"] and "place s'est libérée" in m.subject for m in mail.outbox)
    assert "1 place restante" in client.get(event.url).content.decode()


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
    assert received == [event.pk]  # "2 places restantes" became "Complet — liste d'attente"
