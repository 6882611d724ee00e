"""Courses as visitors and calendar apps see them: key facts, agenda cards, month view, .ics, JSON-LD."""

import json
import re

import pytest
import recurring_ical_events
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from events.ical import event_calendar_bytes, session_uid
from events.models import CourseSession, EventPage, EventSchedule, EventStatus
from registrations import services, tokens
from tests.events.factories import EventPageFactory, VenueFactory, paris
from tests.events.test_month import day_cells
from tests.registrations.factories import person

pytestmark = pytest.mark.django_db


def sessions_of_march(venue=None):
    """Three sessions: Monday 2, Tuesday 3 (in another room) and Monday 9 March 2099."""
    other = VenueFactory(name="Salle des Grésilles")
    return [
        CourseSession(title="Coopérer", start=paris(2099, 3, 2, 9, 30), end=paris(2099, 3, 2, 17)),
        CourseSession(start=paris(2099, 3, 3, 9, 30), end=paris(2099, 3, 3, 17), venue=other),
        CourseSession(start=paris(2099, 3, 9, 14), end=paris(2099, 3, 9, 17, 30)),
    ]


@pytest.fixture
def course(agenda):
    page = EventPageFactory(
        parent=agenda,
        title="Formation tiers-lieux",
        slug="formation",
        schedule=EventSchedule.COURSE,
        sessions=sessions_of_march(),
        registration_mode="open",
        capacity=20,
    )
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def test_the_event_page_lists_the_sessions_in_its_key_facts(client, course):
    html = client.get(course.url).content.decode()
    facts = re.search(r'<div class="event-facts event-sessions">.*?</div>', html, re.S).group(0)
    assert "Parcours en 3 séances" in facts
    items = re.findall(r"<li>(.*?)</li>", facts, re.S)
    assert len(items) == 3
    assert "Lundi 2 mars 2099, 9 h 30 – 17 h" in items[0].replace("\u202f", " ").replace("\xa0", " ")
    assert "Coopérer" in items[0]
    assert "Salle des Grésilles" in items[1] and "Salle" not in items[2]  # the venue only where it differs


def test_an_agenda_card_says_the_first_date_and_the_number_of_sessions(client, agenda, course):
    EventPageFactory(parent=agenda, title="Atelier simple", start=paris(2099, 3, 5, 9))
    html = client.get(agenda.url).content.decode()
    card = re.search(r'<li class="event-card">(?:(?!</li>).)*Formation tiers-lieux.*?</li>', html, re.S).group(0)
    assert "· 3 séances" in card
    text = card.replace("\u202f", " ").replace("\xa0", " ")
    assert "lundi 2 mars 2099, 9 h 30 – 17 h" in text  # the first session, not the whole span
    assert "séance" not in re.search(r'<li class="event-card">(?:(?!</li>).)*Atelier simple.*?</li>', html, re.S)[0]


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_month_view_shows_each_session_on_its_day_in_constant_queries(client, agenda, course):
    url = agenda.url + "mois/2099/3/"
    few, response = count_queries(client, url)
    days = day_cells(response)
    assert [day for day, titles in days.items() if "Formation tiers-lieux" in titles] == [2, 3, 9]
    for n in range(6):
        EventPageFactory(parent=agenda, schedule=EventSchedule.COURSE, sessions=sessions_of_march(), title=f"C{n}")
    many, response = count_queries(client, url)
    assert many == few
    assert sum("C5" in titles for titles in day_cells(response).values()) == 3


def parse(content):
    return Calendar.from_ical(content)


def session_events(calendar):
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))


def test_the_events_ics_has_one_vevent_per_session_with_stable_uids(client, course):
    response = client.get(reverse("events:event_ics", args=[course.pk]))
    calendar = parse(response.content)
    events = session_events(calendar)
    sessions = course.course_sessions
    assert [str(event["uid"]) for event in events] == [session_uid(s) for s in sessions]
    assert str(events[0]["summary"]) == "Formation tiers-lieux — séance 1 : Coopérer"
    assert str(events[2]["summary"]) == "Formation tiers-lieux — séance 3"
    assert "Salle des Grésilles" in str(events[1]["location"])
    # An independent parser sees exactly the three sessions, at their Paris wall times.
    expanded = recurring_ical_events.of(calendar).between(paris(2099, 1, 1), paris(2100, 1, 1))
    assert sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in expanded) == [(s.start, s.end) for s in sessions]
    assert [e.decoded("dtstart").tzinfo.key for e in expanded] == ["Europe/Paris"] * 3


def test_the_feed_and_a_registrants_ics_carry_every_session(client, course):
    feed = parse(client.get(reverse("events:feed")).content)
    uids = {str(event["uid"]) for event in feed.walk("VEVENT")}
    assert {session_uid(s) for s in course.course_sessions} <= uids
    registration = services.register(course, **person(1))
    mine = parse(client.get(reverse("registrations:manage_ics", args=[tokens.make_manage_value(registration)])).content)
    assert [str(e["uid"]) for e in session_events(mine)] == [session_uid(s) for s in course.course_sessions]


def test_cancel_removes_every_session(course):
    calendar = parse(event_calendar_bytes(course, cancel=True))
    assert str(calendar["method"]) == "CANCEL"
    events = calendar.walk("VEVENT")
    assert len(events) == 3 and {str(e["status"]) for e in events} == {"CANCELLED"}
    assert [str(e["uid"]) for e in session_events(calendar)] == [session_uid(s) for s in course.course_sessions]


def test_a_cancelled_course_says_so_in_each_session(course):
    course.status = EventStatus.CANCELLED
    course.save_revision().publish()
    course = EventPage.objects.get(pk=course.pk)
    events = parse(event_calendar_bytes(course)).walk("VEVENT")
    assert all(str(e["summary"]).startswith("ANNULÉ : ") for e in events)


def test_json_ld_has_the_sessions_as_sub_events(client, course):
    html = client.get(course.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2099-03-02T09:30:00+01:00" and data["endDate"] == "2099-03-09T17:30:00+01:00"
    subs = data["subEvent"]
    assert [(s["startDate"], s["endDate"]) for s in subs] == [
        ("2099-03-02T09:30:00+01:00", "2099-03-02T17:00:00+01:00"),
        ("2099-03-03T09:30:00+01:00", "2099-03-03T17:00:00+01:00"),
        ("2099-03-09T14:00:00+01:00", "2099-03-09T17:30:00+01:00"),
    ]
    assert subs[0]["name"] == "Coopérer" and subs[2]["name"] == "Formation tiers-lieux — séance 3"
    assert subs[1]["location"]["name"] == "Salle des Grésilles"
    assert subs[0]["location"]["name"] == course.venue.name


def test_the_event_page_reads_a_fixed_number_of_queries(client, course, django_assert_max_num_queries):
    few, _response = count_queries(client, course.url)
    for n in range(4, 9):
        CourseSession.objects.create(page=course, start=paris(2099, 3, 10 + n, 9), end=paris(2099, 3, 10 + n, 12))
    many, response = count_queries(client, course.url)
    assert "Parcours en 8 séances" in response.content.decode()
    assert many == few
