"""Capacity changed by an editor in the page editor: raising promotes, lowering drops nobody."""

import pytest
from django.core import mail

from registrations import services
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def publish_with(event, **fields):
    page = event.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_raising_capacity_in_the_editor_promotes_the_waiting_list(home_page, commit):
    event = make_event(home_page, capacity=1)
    with commit():
        first = services.register(event, **person(1))
        second = services.register(event, **person(2))
        third = services.register(event, **person(3))
    assert [r.status for r in (first, second, third)] == [S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    mail.outbox.clear()

    with commit():
        publish_with(event, capacity=2)

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (S.CONFIRMED, S.WAITLISTED)
    assert [m.to for m in mail.outbox] == [["camille2@example.org"]]
    assert mail.outbox[0].subject.startswith("Une place s'est libérée")


def test_lowering_capacity_in_the_editor_keeps_every_confirmed_person(home_page, client, commit):
    event = make_event(home_page, capacity=3)
    with commit():
        registrations = [services.register(event, **person(n)) for n in range(3)]
    assert {r.status for r in registrations} == {S.CONFIRMED}
    with commit():
        publish_with(event, capacity=1)
    for registration in registrations:
        registration.refresh_from_db()
        assert registration.status == S.CONFIRMED
    assert services.seats_remaining(event.__class__.objects.get(pk=event.pk)) == 0
    assert "Complet" in client.get(event.url).content.decode()


def test_a_cancelled_event_promotes_nobody(home_page, commit):
    event = make_event(home_page, capacity=1)
    with commit():
        services.register(event, **person(1))
        waiting = services.register(event, **person(2))
    with commit():
        publish_with(event, capacity=5, status="cancelled")
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
