"""Courses: one registration for every session, presence recorded per session, and the figures read from it."""

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from registrations import services, tokens
from registrations.figures import course_figures, event_figures
from registrations.models import SessionPresence
from tests.events.factories import course_fields
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    return make_event(home_page, max_seats_per_registration=2, **course_fields(days=5, count=3))


def attendees(registration):
    return list(registration.attendees.order_by("position"))


def test_a_course_books_once_for_all_its_sessions(course):
    registration = services.register(course, **person(1))
    assert registration.status == "confirmed"
    assert course.registrations.count() == 1
    assert [s.start for s in course.course_sessions][0] == course.start  # the window closes at the first one


def test_presence_per_session_sets_came_at_least_once(course, admin_user):
    first, second, third = course.course_sessions
    camille = attendees(services.register(course, **person(1)))[0]
    services.check_in_session(camille, second, by=admin_user)
    camille.refresh_from_db()
    arrival = camille.checked_in_at
    assert arrival is not None  # "came at least once": the existing counts stay true
    assert event_figures(course).present == 1
    services.check_in_session(camille, third, by=admin_user)
    services.check_in_session(camille, third, by=admin_user)  # twice: still one row
    camille.refresh_from_db()
    assert camille.checked_in_at == arrival
    assert SessionPresence.objects.filter(attendee=camille).count() == 2
    services.check_in_session(camille, second, by=admin_user, present=False)
    camille.refresh_from_db()
    assert camille.checked_in_at == SessionPresence.objects.get(attendee=camille).checked_in_at
    services.check_in_session(camille, third, by=admin_user, present=False)
    camille.refresh_from_db()
    assert camille.checked_in_at is None and event_figures(course).present == 0
    entries = ModelLogEntry.objects.filter(action="registrations.check_in", object_id=str(camille.registration_id))
    assert {entry.data.get("session") for entry in entries} == {second.pk, third.pk}


def test_only_a_confirmed_seat_of_this_course_is_checked_in(home_page, course):
    other = make_event(home_page, **course_fields(days=8, count=2))
    camille = attendees(services.register(course, **person(1)))[0]
    with pytest.raises(services.InvalidCheckInCode, match="n'appartient pas"):
        services.check_in_session(camille, other.course_sessions[0])
    services.cancel(camille.registration)
    with pytest.raises(services.InvalidCheckInCode, match="annulée"):
        services.check_in_session(camille, course.course_sessions[0])
    assert not SessionPresence.objects.exists()


def test_a_qr_code_at_a_session_checks_in_the_whole_group_at_that_session(course):
    registration = services.register(
        course, **person(1), seats=2, companions=[{"first_name": "Louise", "last_name": "Bernard"}]
    )
    session = course.course_sessions[1]
    _found, people = services.check_in_session_by_code(session, tokens.make_check_in_value(registration))
    assert [p.first_name for p in people] == ["Camille", "Louise"]
    assert set(SessionPresence.objects.values_list("attendee__first_name", "session")) == {
        ("Camille", session.pk),
        ("Louise", session.pk),
    }
    with pytest.raises(services.InvalidCheckInCode, match="signature invalide"):
        services.check_in_session_by_code(session, "n'importe quoi")


def test_course_figures_count_each_session_and_completion(course, django_assert_num_queries):
    first, second, third = course.course_sessions
    people = [attendees(services.register(course, **person(n)))[0] for n in range(1, 5)]
    for session in (first, second, third):
        services.check_in_session(people[0], session)  # the whole course
    services.check_in_session(people[1], first)
    services.check_in_session(people[1], third)
    services.check_in_session(people[2], second)  # people[3] never came
    cancelled = attendees(services.register(course, **person(9)))[0]
    services.check_in_session(cancelled, first)
    services.cancel(cancelled.registration)  # a cancelled registration counts nowhere

    with django_assert_num_queries(2):
        figures = course_figures(course)
    assert [(f.session.pk, f.present) for f in figures.sessions] == [(first.pk, 2), (second.pk, 2), (third.pk, 2)]
    assert (figures.people, figures.completed, figures.attended) == (4, 1, 3)
    assert figures.completion_rate == 0.25
    assert event_figures(course).present == 3  # "came at least once", as before courses


def test_the_confirmation_lists_every_session_and_carries_them_in_its_calendar(course, mailoutbox, commit):
    with commit():
        services.register(course, **person(1))
    (message,) = mailoutbox
    text = message.body
    assert "Une inscription pour les 3 séances :" in text
    for number, session in enumerate(course.course_sessions, 1):
        assert f"{number}. {session.dates_display[0].upper()}{session.dates_display[1:]}" in text
    html = message.alternatives[0][0]
    assert html.count("<li>") == 3
    (calendar,) = [a for a in message.attachments if a[0].endswith(".ics")]
    assert calendar[1].count("BEGIN:VEVENT") == 3


def test_the_registrants_page_lists_the_sessions(client, course):
    registration = services.register(course, **person(1))
    html = client.get(reverse("registrations:manage", args=[tokens.make_manage_value(registration)])).content.decode()
    assert "Une inscription pour les 3 séances :" in html
    assert re.search(r'<ol class="event-summary__sessions">(\s*<li>.*?</li>){3}\s*</ol>', html, re.S)
