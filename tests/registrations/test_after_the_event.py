"""After the event has started: no promotion mails, no cancellation from the link, erasing keeps the counts."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from registrations import services, tokens
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def started_event(home_page, commit):
    event = make_event(home_page, capacity=1)
    with commit():
        attendee = services.register(event, **person(1))
        waiting = services.register(event, **person(2))
    mail.outbox.clear()
    return event, attendee, waiting


def test_no_promotion_once_the_event_has_started(started_event, commit):
    event, attendee, waiting = started_event
    with freeze_time(event.start + datetime.timedelta(hours=1)), commit():
        services.cancel(attendee, by=None)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    assert not any("place s'est libérée" in m.subject for m in mail.outbox)


def test_the_link_cannot_cancel_after_the_start_and_erasing_keeps_the_counts(started_event, client, commit):
    event, attendee, waiting = started_event
    value = tokens.make_manage_value(attendee)
    with freeze_time(event.start + datetime.timedelta(days=1)):
        page = client.get(reverse("registrations:manage", args=[value])).content.decode()
        assert "Je ne peux plus venir" not in page
        with commit():
            client.post(reverse("registrations:manage_cancel", args=[value]))
        attendee.refresh_from_db()
        assert attendee.status == S.CONFIRMED
        with commit():
            assert (
                client.post(reverse("registrations:manage_erase", args=[value]), {"confirmer": "oui"}).status_code
                == 200
            )
    attendee.refresh_from_db()
    assert attendee.status == S.CONFIRMED and attendee.anonymized_at is not None
    assert services.seats_taken(event) == 1
    assert mail.outbox == []


def test_before_the_start_the_link_still_cancels(started_event, client, commit):
    event, attendee, waiting = started_event
    assert event.start > timezone.now()
    with commit():
        client.post(reverse("registrations:manage_cancel", args=[tokens.make_manage_value(attendee)]))
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
