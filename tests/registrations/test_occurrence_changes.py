"""Staff change or cancel one date of a series: only that date's people are told, with the right calendar."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from icalendar import Calendar
from wagtail.models import PageLogEntry

from events.models import OccurrenceStatus, Venue
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import person
from tests.registrations.series import make_series

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("equipe", "equipe@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Gestion des inscriptions"))
    return user


@pytest.fixture
def booked(home_page):
    """A series of 3 dates with 2 seats: two people on the first date (and one waiting), one on the second."""
    event, dates = make_series(home_page, capacity=2)
    first, second, _third = dates
    people = [services.register(event, occurrence=first, **person(n)) for n in range(3)]
    other = services.register(event, occurrence=second, **person(9))
    mail.outbox.clear()
    return event, dates, people, other


def calendar_of(message):
    name, content, mimetype = next(a for a in message.attachments if a[0].endswith(".ics"))
    return Calendar.from_ical(content), mimetype


def test_cancelling_a_date_ends_and_tells_only_its_registrants(booked, staff, commit):
    event, (first, second, _third), people, other = booked
    before = first.ical_sequence
    assert services.people_to_tell(first).count() == 3
    with commit():
        ended = services.cancel_occurrence(first, by=staff, message="Salle inondée")
    assert ended == 3
    first.refresh_from_db()
    assert first.status == OccurrenceStatus.CANCELLED and first.note == "Salle inondée"
    assert first.ical_sequence == before + 1
    assert set(Registration.objects.filter(occurrence=first).values_list("status", flat=True)) == {S.CANCELLED}
    other.refresh_from_db()
    assert other.status == S.CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in people)
    message = mail.outbox[0]
    assert message.subject.startswith("Date annulée")
    assert "Salle inondée" in message.body
    calendar, _mimetype = calendar_of(message)
    assert str(calendar["method"]) == "CANCEL"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["uid"]).startswith(f"occurrence-{first.pk}@")
    assert vevent["sequence"] == event.ical_sequence + first.ical_sequence
    entry = PageLogEntry.objects.filter(action="registrations.cancel_occurrence").get()
    assert entry.user == staff and entry.data["occurrence"] == first.pk and entry.data["registrations"] == 3
    with pytest.raises(services.InvalidTransition):
        services.cancel_occurrence(first, by=staff)


def test_moving_a_date_tells_only_its_people_with_the_updated_calendar(booked, staff, commit):
    event, (first, second, _third), people, other = booked
    new_start = first.start + datetime.timedelta(hours=1)
    with commit():
        outcome = services.change_occurrence(
            first, by=staff, start=new_start, end=new_start + datetime.timedelta(hours=2)
        )
    assert outcome.changed == ("start", "end") and outcome.notified == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in people)
    calendar, _mimetype = calendar_of(mail.outbox[0])
    (vevent,) = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "PUBLISH"
    assert vevent.decoded("dtstart") == new_start
    first.refresh_from_db()
    assert vevent["sequence"] == event.ical_sequence + first.ical_sequence and first.ical_sequence == 1
    assert first.original_start != first.start  # still recognised as the rule's date


def test_a_new_venue_is_told_a_new_note_or_capacity_is_not(booked, staff, commit, home_page):
    event, (first, _second, _third), people, _other = booked
    hall = Venue.objects.create(name="Salle des fêtes", address="1 rue X", postcode="21000", city="Dijon")
    with commit():
        services.change_occurrence(first, by=staff, note="Apportez un stylo")
    assert mail.outbox == []
    with commit():
        outcome = services.change_occurrence(first, by=staff, venue=hall)
    assert outcome.notified == 3
    assert "Salle des fêtes" in mail.outbox[0].body


def test_raising_a_dates_capacity_promotes_its_waiting_list_only(booked, staff, home_page):
    event, (first, second, _third), people, _other = booked
    waiting_elsewhere = services.register(event, occurrence=second, **person(20))
    services.register(event, occurrence=second, **person(21))  # second date now full with one waiting
    outcome = services.change_occurrence(first, by=staff, capacity=3)
    assert [r.pk for r in outcome.promoted] == [people[2].pk]
    people[2].refresh_from_db()
    assert people[2].status == S.CONFIRMED
    assert Registration.objects.filter(occurrence=second, status=S.WAITLISTED).count() == 1
    waiting_elsewhere.refresh_from_db()


def test_fewer_seats_than_held_and_impossible_times_are_refused(booked, staff):
    _event, (first, *_rest), _people, _other = booked
    with pytest.raises(services.RegistrationError, match="déjà prises"):
        services.change_occurrence(first, by=staff, capacity=1)
    with pytest.raises(services.RegistrationError, match="après son début"):
        services.change_occurrence(first, by=staff, end=first.start - datetime.timedelta(hours=1))
    first.refresh_from_db()
    assert first.capacity is None and first.ical_sequence == 0
