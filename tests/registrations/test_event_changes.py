"""Registrants hear once when staff cancel or move an event."""

import datetime

import pytest
from django.core import mail

from registrations import services
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


def publish(event, **changes):
    for name, value in changes.items():
        setattr(event, name, value)
    event.save_revision().publish()


def test_moving_an_event_notifies_active_registrants_once(home_page, commit):
    event = make_event(home_page, capacity=1)
    confirmed = services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    services.cancel(services.register(event, **person(3)))
    mail.outbox.clear()
    with commit():
        publish(event, summary="Nouveau résumé")
    assert mail.outbox == []  # no change of date or status
    with commit():
        publish(event, start=event.start + datetime.timedelta(days=1))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([confirmed.email, waiting.email])
    assert all(m.subject.startswith("Changement de date") for m in mail.outbox)
    mail.outbox.clear()
    with commit():
        publish(event, summary="Encore")
    assert mail.outbox == []


def test_cancelling_an_event_notifies(home_page, commit):
    event = make_event(home_page)
    registration = services.register(event, **person(1))
    with commit():
        publish(event, status="cancelled")
    (message,) = mail.outbox
    assert message.subject.startswith("Événement annulé")
    assert message.to == [registration.email]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # staff decide what to do with it
