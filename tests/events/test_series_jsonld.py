"""JSON-LD of a series: its upcoming dates as subEvent, each with its own dates, place, status and seats."""

import json
import re
from datetime import timedelta

import pytest

from core.dates import to_local
from events.jsonld import event_jsonld
from events.models import EventSchedule, Occurrence, OccurrenceStatus
from tests.events.factories import EventPageFactory, VenueFactory, days_from_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(agenda):
    starts = [days_from_now(days, hour=14) for days in (-7, 7, 14, 21)]
    page = EventPageFactory(
        parent=agenda,
        title="Atelier numérique",
        schedule=EventSchedule.SERIES,
        start=starts[0],
        end=starts[-1] + timedelta(hours=3),
        capacity=12,
        registration_mode="open",
    )
    Occurrence.objects.bulk_create(
        Occurrence(event=page, original_start=start, start=start, end=start + timedelta(hours=3)) for start in starts
    )
    return page


def test_a_series_carries_its_upcoming_dates_as_sub_events(rf, series):
    hall = VenueFactory(name="Maison de quartier")
    moved, cancelled, plain = series.occurrences.filter(start__gte=days_from_now(0)).order_by("start")
    was = moved.start
    moved.start, moved.end, moved.venue, moved.capacity = (
        was + timedelta(days=1),
        was + timedelta(days=1, hours=2),
        hall,
        8,
    )
    moved.save()
    cancelled.status = OccurrenceStatus.CANCELLED
    cancelled.save()

    data = event_jsonld(series, occurrence_seats={plain.pk: 3})

    assert "remainingAttendeeCapacity" not in data  # seats belong to the dates
    sub = data["subEvent"]
    assert len(sub) == 3  # the past date is left out
    first, second, third = sub
    assert first["@type"] == "Event" and first["name"] == "Atelier numérique"
    assert first["eventStatus"] == "https://schema.org/EventRescheduled"
    assert first["previousStartDate"] == to_local(was).isoformat()  # Paris time, as every date
    assert first["location"]["name"] == "Maison de quartier"
    assert (first["maximumAttendeeCapacity"], first["remainingAttendeeCapacity"]) == (8, 8)
    assert second["eventStatus"] == "https://schema.org/EventCancelled"
    assert third["eventStatus"] == "https://schema.org/EventScheduled"
    assert third["startDate"] == to_local(plain.start).isoformat()
    assert third["endDate"] == to_local(plain.end).isoformat()
    assert (third["maximumAttendeeCapacity"], third["remainingAttendeeCapacity"]) == (12, 3)
    assert third["url"].endswith(f"#date-{plain.pk}")


def test_the_event_page_carries_it(client, series):
    html = client.get(series.url).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(json.loads(script)["subEvent"]) == 3
