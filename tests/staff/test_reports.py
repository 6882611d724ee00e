"""Reports for funders: definitions, constant number of queries, admin view and XLSX."""

import collections
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import EventCategory
from registrations import services
from registrations.models import RegistrationStatus
from registrations.reports import absence_rate, event_figures, period_report, period_report_rows
from tests.registrations.factories import RegistrationFactory, make_event

NOW = timezone.now()


@pytest.fixture
def past_events(home_page):
    workshop = EventCategory.objects.create(name="Atelier", slug="atelier")
    talk = EventCategory.objects.create(name="Conférence", slug="conference")
    first = make_event(
        home_page, title="Atelier vélo", start=NOW - datetime.timedelta(days=20), capacity=10, category=workshop
    )
    second = make_event(
        home_page, title="Conférence climat", start=NOW - datetime.timedelta(days=5), capacity=None, category=talk
    )
    # first: 4 confirmed seats (one registration of 2), 2 seats present, 1 waiting, 1 cancelled
    RegistrationFactory(event=first, email="a@example.org", seats=2, checked_in_at=NOW)
    RegistrationFactory(event=first, email="b@example.org")
    RegistrationFactory(event=first, email="c@example.org")
    RegistrationFactory(event=first, email="w@example.org", status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(event=first, email="x@example.org", status=RegistrationStatus.CANCELLED)
    # second: the same person (other case) attends again, and an anonymised attendee
    RegistrationFactory(event=second, email="A@Example.org", checked_in_at=NOW)
    RegistrationFactory(event=second, email="anonyme-1@invalid", checked_in_at=NOW, anonymized_at=NOW)
    RegistrationFactory(event=second, email="p@example.org", status=RegistrationStatus.PENDING)
    return first, second


def test_event_figures_follow_the_definitions(past_events):
    first, _second = past_events
    figures = event_figures(first)
    assert figures.requests == 5
    assert figures.confirmed == 4
    assert figures.present == 2
    assert figures.waitlisted == 1
    assert figures.cancelled == 1
    assert figures.absence_rate == pytest.approx(0.5)
    assert figures.seats_remaining == 6


def test_absence_rate_is_undefined_before_the_event():
    assert absence_rate(10, 0, started=False) is None
    assert absence_rate(0, 0) is None


def test_period_report(past_events, django_assert_num_queries):
    today = timezone.localdate()
    with django_assert_num_queries(5):
        report = period_report(today - datetime.timedelta(days=60), today)
    assert [event.title for event, _figures in report.events] == ["Atelier vélo", "Conférence climat"]
    assert report.totals.requests == 8
    assert report.totals.confirmed == 6
    assert report.totals.present == 4
    assert report.distinct_attendees == 1  # a@ (twice, any case) counts once; the anonymised row is no person
    assert report.anonymised_attendances == 1
    categories = {name: (figures.requests, count) for name, figures, count in report.by_category}
    assert categories == {"Atelier": (5, 1), "Conférence": (3, 1)}
    assert sum(figures.requests for _month, figures, _count in report.by_month) == 8


def test_period_report_queries_do_not_grow(home_page, django_assert_num_queries):
    for index in range(6):
        event = make_event(home_page, start=NOW - datetime.timedelta(days=index + 1))
        RegistrationFactory.create_batch(3, event=event)
    today = timezone.localdate()
    with django_assert_num_queries(5):
        period_report(today - datetime.timedelta(days=30), today)


def test_report_view_and_xlsx(manager_client, past_events):
    today = timezone.localdate()
    params = {"date_from": (today - datetime.timedelta(days=60)).isoformat(), "date_to": today.isoformat()}
    page = manager_client.get(reverse("inscriptions_rapports:index"), params).content.decode()
    assert "Atelier vélo" in page and "Conférence climat" in page
    assert "Présences anonymisées (non comptées en personnes)" in page
    response = manager_client.get(reverse("inscriptions_rapports:index"), {**params, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Atelier vélo" in values
    assert "Personnes différentes venues (hors données anonymisées)" in values
    assert "Présences anonymisées (non comptées en personnes)" in values


def test_report_view_rejects_reversed_dates(manager_client):
    response = manager_client.get(
        reverse("inscriptions_rapports:index"), {"date_from": "2025-12-31", "date_to": "2025-01-01"}
    )
    assert "La date de début doit précéder la date de fin." in response.content.decode()


def test_future_events_count_as_confirmed_but_not_in_the_absence_rate(home_page, past_events):
    future = make_event(home_page, title="Atelier futur", start=NOW + datetime.timedelta(days=3))
    RegistrationFactory.create_batch(4, event=future)
    today = timezone.localdate()
    report = period_report(today - datetime.timedelta(days=60), today + datetime.timedelta(days=10))
    assert report.totals.confirmed == 10
    # past events only: 6 confirmed seats, 4 present
    assert report.totals.absence_rate == pytest.approx(2 / 6)


def test_report_form_shows_the_default_period_as_iso_dates(manager_client):
    page = manager_client.get(reverse("inscriptions_rapports:index")).content.decode()
    year = timezone.localdate().year
    assert f'value="{year}-01-01"' in page and f'value="{year}-12-31"' in page


def test_anonymised_attendances_are_not_counted_as_distinct_people(home_page):
    """After the retention period, one person's attendances must not turn into as many people."""
    events = [make_event(home_page, start=NOW - datetime.timedelta(days=days)) for days in (200, 190, 10)]
    # Camille came to all three events: the first two registrations have been anonymised since.
    camille = [RegistrationFactory(event=event, email="camille@example.org", checked_in_at=NOW) for event in events]
    # Dominique came once, long ago (anonymised); Eden registered but never came (anonymised, not present).
    dominique = RegistrationFactory(event=events[0], email="dominique@example.org", checked_in_at=NOW)
    eden = RegistrationFactory(event=events[1], email="eden@example.org")
    for registration in [camille[0], camille[1], dominique, eden]:
        services.anonymize(registration)

    today = timezone.localdate()
    report = period_report(today - datetime.timedelta(days=365), today)
    assert report.totals.present == 4  # every attendance still counts as an attendance
    assert report.distinct_attendees == 1  # Camille, known by her recent registration (was 4 before)
    assert report.anonymised_attendances == 3  # reported beside it, not as people
    rows = list(period_report_rows(report))
    assert ["Personnes différentes venues (hors données anonymisées)", 1] in rows
    assert ["Présences anonymisées (non comptées en personnes)", 3] in rows


def test_months_and_categories_count_events_without_registrations(home_page, past_events):
    workshop = past_events[0].category
    empty_workshop = make_event(
        home_page, title="Atelier désert", start=NOW - datetime.timedelta(days=40), category=workshop
    )
    empty_uncategorised = make_event(home_page, title="Permanence", start=NOW - datetime.timedelta(days=45))
    today = timezone.localdate()
    report = period_report(today - datetime.timedelta(days=60), today)

    assert len(report.events) == 4
    categories = {name: (figures.requests, count) for name, figures, count in report.by_category}
    assert categories == {"Atelier": (5, 2), "Conférence": (3, 1), "": (0, 1)}
    # Every event counts in its own (local) month, whatever its number of registrations.
    expected = collections.Counter(
        timezone.localtime(event.start).date().replace(day=1)
        for event in [*past_events, empty_workshop, empty_uncategorised]
    )
    assert {month: count for month, _figures, count in report.by_month} == expected
    assert sum(figures.requests for _month, figures, _count in report.by_month) == report.totals.requests == 8
    assert sum(figures.present for _month, figures, _count in report.by_month) == report.totals.present


def test_people_signed_up_by_phone_without_an_address_count_one_each(home_page):
    event = make_event(home_page, start=NOW - datetime.timedelta(days=3))
    RegistrationFactory(event=event, email="camille@example.org", checked_in_at=NOW)
    RegistrationFactory(event=event, email="", first_name="Paulette", checked_in_at=NOW)
    RegistrationFactory(event=event, email="", first_name="Marcel", checked_in_at=NOW)
    RegistrationFactory(event=event, email="", first_name="Absent")  # registered, never came

    today = timezone.localdate()
    report = period_report(today - datetime.timedelta(days=30), today)
    assert report.totals.present == 3
    assert report.distinct_attendees == 3  # not 2: two people without an address are two people


def test_cancelled_events_are_left_out_of_the_funders_figures(home_page):
    held = make_event(home_page, start=NOW - datetime.timedelta(days=5))
    cancelled = make_event(home_page, start=NOW - datetime.timedelta(days=4), status="cancelled")
    RegistrationFactory(event=held, checked_in_at=NOW)
    RegistrationFactory(event=cancelled)
    RegistrationFactory(event=cancelled)

    today = timezone.localdate()
    report = period_report(today - datetime.timedelta(days=30), today)
    assert [event.pk for event, _figures in report.events] == [held.pk]
    assert report.totals.requests == 1
    assert sum(count for _month, _figures, count in report.by_month) == 1
