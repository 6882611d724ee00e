"""What publishing a series tells its registrants: its span following its dates is not a move (issue 13)."""

import datetime

import pytest
from django.core import mail

from registrations import services
from tests.events.factories import VenueFactory
from tests.registrations.factories import person
from tests.registrations.series import add_date, make_series

pytestmark = pytest.mark.django_db


def publish(event, **changes):
    for name, value in changes.items():
        setattr(event, name, value)
    event.save_revision().publish()


def test_a_series_whose_span_grows_writes_to_nobody(home_page, commit):
    event, (first, _second) = make_series(home_page, dates=2, capacity=5)
    services.register(event, occurrence=first, **person(1))
    later = add_date(event, 60)
    mail.outbox.clear()

    with commit():
        publish(event, end=later.end)  # the span follows the new last date

    assert mail.outbox == []


def test_a_new_venue_for_the_series_is_announced_to_its_registrants(home_page, commit):
    event, (first, _second) = make_series(home_page, dates=2, capacity=5)
    services.register(event, occurrence=first, **person(1))
    mail.outbox.clear()

    with commit():
        publish(event, venue=VenueFactory(name="Salle des fêtes"))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person(1)["email"]]


def test_a_single_event_moved_is_still_announced(home_page, commit):
    event, _dates = make_series(home_page, dates=0, capacity=5)
    event.schedule = "single"
    event.save()
    services.register(event, **person(1))
    mail.outbox.clear()

    with commit():
        publish(event, start=event.start + datetime.timedelta(days=1), end=None)

    assert len(mail.outbox) == 1
