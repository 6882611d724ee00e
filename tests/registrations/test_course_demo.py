"""The demo course: three sessions next season, its past edition with presence, both idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.demo import COURSE_SLUG, PAST_COURSE_SLUG
from events.models import EventPage
from registrations import services
from registrations.figures import course_figures, event_figures

pytestmark = pytest.mark.django_db


def test_the_demo_course_and_its_past_edition(client):
    call_command("load_demo")
    call_command("load_demo")  # idempotent: nothing doubled, no date moved
    course = EventPage.objects.get(slug=COURSE_SLUG)
    assert course.is_course and course.live and course.capacity == 20
    sessions = course.course_sessions
    days = [timezone.localtime(session.start).date() for session in sessions]
    assert len(sessions) == 3 and [(b - a).days for a, b in zip(days, days[1:], strict=False)] == [1, 1]
    assert course.start == sessions[0].start and course.end == sessions[2].end > timezone.now()
    assert sessions[1].venue.name == "Le 52 Battant"  # the visit: its own place
    assert "tarif réduit" in course.access_and_price
    # Its people are the paid demo's (a tier each): six bookings, one cancelled and refunded.
    assert course.registrations.count() == 6
    assert course.registrations.filter(attendees__price_tier__isnull=True).count() == 0
    assert services.availability(course).message == "15 places restantes"
    html = client.get(course.url).content.decode()
    assert "Parcours en 3 séances" in html and "Le 52 Battant" in html

    past = EventPage.objects.get(slug=PAST_COURSE_SLUG)
    assert past.end < timezone.now()
    figures = course_figures(past)
    assert [figure.present for figure in figures.sessions] == [9, 7, 7]
    assert (figures.people, figures.completed, figures.attended) == (9, 6, 9)
    assert event_figures(past).present == 9
