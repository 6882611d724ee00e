"""Registrants hear once when staff cancel or move an event."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Venue
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


def test_postponing_an_event_notifies_once_and_stops_reminders(home_page, commit):
    from django.core.management import call_command

    event = make_event(home_page, start=timezone.now() + datetime.timedelta(hours=20))
    registration = services.register(event, **person(1))
    mail.outbox.clear()
    with commit():
        publish(event, status="postponed")
    (message,) = mail.outbox
    assert message.subject.startswith("Événement reporté")
    assert message.to == [registration.email]
    assert "nouvelle date" in message.body
    mail.outbox.clear()
    with commit():
        publish(event, summary="Toujours reporté")
        call_command("send_reminders", stdout=io.StringIO())
    assert mail.outbox == []  # no second notice, and no "see you soon" for a date that no longer holds
    with commit():
        publish(event, status="scheduled", start=event.start + datetime.timedelta(days=30))
    (moved,) = mail.outbox
    assert moved.subject.startswith("Changement de date")


def test_changing_the_venue_notifies(home_page, commit):
    event = make_event(home_page)
    registration = services.register(event, **person(1))
    mail.outbox.clear()
    elsewhere = Venue.objects.create(
        name="Maison de quartier", address="2 rue des Grésilles", postcode="21000", city="Dijon"
    )
    with commit():
        publish(event, venue=elsewhere)
    (message,) = mail.outbox
    assert message.to == [registration.email]
    assert "Maison de quartier" in message.body
    assert any(name.endswith(".ics") for name, _content, _type in message.attachments)
