"""A series in the calendars: one VEVENT per date, stable UIDs, checked with an independent parser."""

from datetime import date, datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from events.ical import occurrence_uid
from events.models import EventSchedule, Occurrence, OccurrenceStatus
from tests.events.factories import EventPageFactory, VenueFactory, paris

pytestmark = pytest.mark.django_db

STARTS = [paris(2099, 1, day, 14) for day in (6, 13, 20, 27)] + [paris(2099, 2, 3, 14)]


@pytest.fixture
def series(agenda):
    page = EventPageFactory(
        parent=agenda,
        title="Atelier numérique",
        schedule=EventSchedule.SERIES,
        start=STARTS[0],
        end=STARTS[-1] + timedelta(hours=3),
    )
    Occurrence.objects.bulk_create(
        Occurrence(event=page, original_start=start, start=start, end=start + timedelta(hours=3)) for start in STARTS
    )
    page.save_revision().publish()
    moved = page.occurrences.get(original_start=STARTS[1])
    moved.start, moved.end = paris(2099, 1, 15, 9), paris(2099, 1, 15, 12)
    moved.venue = VenueFactory(name="Maison de quartier")
    moved.save()
    cancelled = page.occurrences.get(original_start=STARTS[3])
    cancelled.status = OccurrenceStatus.CANCELLED
    cancelled.save()
    return page


def expanded(response, first=date(2099, 1, 1), last=date(2099, 3, 1)):
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return sorted(recurring_ical_events.of(calendar).between(first, last), key=lambda event: event["DTSTART"].dt)


def summary(events):
    return [
        (event["DTSTART"].dt, event["DTEND"].dt, str(event["STATUS"]), str(event["UID"]), str(event.get("LOCATION")))
        for event in events
    ]


@pytest.mark.parametrize("feed", ["agenda", "event"])
def test_the_feed_expands_to_exactly_the_scheduled_dates(client, series, feed):
    url = "/calendrier/agenda.ics" if feed == "agenda" else series.ical_url
    events = expanded(client.get(url))
    occurrences = {o.original_start: o for o in series.occurrences.all()}
    assert [event["DTSTART"].dt for event in events] == [
        paris(2099, 1, 6, 14),
        paris(2099, 1, 15, 9),  # moved on its own
        paris(2099, 1, 20, 14),
        paris(2099, 1, 27, 14),
        paris(2099, 2, 3, 14),
    ]
    # Paris wall times, with the Europe/Paris zone (calendar apps show 14 h whatever their own zone).
    assert all(isinstance(event["DTSTART"].dt, datetime) for event in events)
    assert str(events[0]["DTSTART"].dt.tzinfo) == "Europe/Paris"
    assert [str(event["UID"]) for event in events] == [occurrence_uid(occurrences[start]) for start in STARTS]
    assert [str(event["STATUS"]) for event in events] == ["CONFIRMED"] * 3 + ["CANCELLED", "CONFIRMED"]
    assert str(events[3]["SUMMARY"]).startswith("ANNULÉ : ")
    assert "Maison de quartier" in str(events[1]["LOCATION"])
    assert events[1]["SEQUENCE"] >= 1 and events[3]["SEQUENCE"] >= 1 and events[0]["SEQUENCE"] == 0
    # No RRULE: each date is its own VEVENT, so the parser sees as many components as dates.
    assert not any("RRULE" in event for event in events)


def test_between_two_dates_only_those_dates(client, series):
    events = expanded(client.get("/calendrier/agenda.ics"), date(2099, 1, 14), date(2099, 1, 21))
    assert [event["DTSTART"].dt for event in events] == [paris(2099, 1, 15, 9), paris(2099, 1, 20, 14)]


def test_uids_are_stable_across_downloads_and_edits(client, series):
    before = summary(expanded(client.get(series.ical_url)))
    series.title = "Atelier numérique (nouveau titre)"
    series.save_revision().publish()
    after = summary(expanded(client.get(series.ical_url)))
    assert [row[3] for row in before] == [row[3] for row in after]


def test_feed_query_count_does_not_grow_with_the_dates(client, series, django_assert_max_num_queries):
    client.get("/calendrier/agenda.ics")
    with django_assert_max_num_queries(11) as few:
        client.get("/calendrier/agenda.ics")
    Occurrence.objects.bulk_create(
        Occurrence(event=series, original_start=start, start=start, end=start + timedelta(hours=3))
        for start in (paris(2099, 3, 1, 14) + timedelta(days=n) for n in range(100))
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/calendrier/agenda.ics")
    assert response.content.count(b"BEGIN:VEVENT") == 105
