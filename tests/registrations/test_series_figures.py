"""Counts per date of a series: the admin's figures, the period report, and the demo's people on two dates."""

import datetime

import pytest
from django.utils import timezone

from events.models import OccurrenceStatus
from registrations import demo, services
from registrations.figures import event_figures, occurrence_figures
from registrations.models import Registration, RegistrationStatus
from registrations.reports import series_dates_report, series_dates_rows
from tests.registrations.factories import person
from tests.registrations.series import add_date, make_series

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def test_figures_of_each_date(home_page, django_assert_num_queries):
    event, (first, second, third) = make_series(home_page, capacity=2)
    for n in range(3):
        services.register(event, occurrence=first, **person(n))
    services.register(event, occurrence=second, **person(9))
    with django_assert_num_queries(2):
        rows = occurrence_figures(event)
    assert [(o.pk, f.confirmed, f.waitlisted, f.seats_remaining) for o, f in rows] == [
        (first.pk, 2, 1, 0),
        (second.pk, 1, 0, 1),
        (third.pk, 0, 0, 2),
    ]
    assert event_figures(event, occurrence=second).confirmed == 1
    assert event_figures(event).confirmed == 3  # the whole series


def test_the_period_report_counts_each_date_held_in_the_period(home_page):
    event, (first, second, third) = make_series(home_page, capacity=5)
    past = add_date(event, -3)
    Registration.objects.create(
        event=event,
        occurrence=past,
        first_name="A",
        last_name="B",
        email="a@example.org",
        status=S.CONFIRMED,
        seats_present=1,
        checked_in_at=timezone.now() - datetime.timedelta(days=3),
    )
    Registration.objects.create(
        event=event, occurrence=past, first_name="C", last_name="D", email="c@example.org", status=S.CONFIRMED
    )
    second.status = OccurrenceStatus.CANCELLED
    second.save()
    today = timezone.localdate()
    rows = series_dates_report(today - datetime.timedelta(days=7), today + datetime.timedelta(days=30))
    assert [date.pk for date, _figures in rows] == [past.pk, first.pk, third.pk]  # the cancelled date was not held
    past_figures = rows[0][1]
    assert (past_figures.confirmed, past_figures.present, past_figures.absence_rate) == (2, 1, 0.5)
    cells = list(series_dates_rows(rows))
    assert cells[1][0] == "Date d'une série" and cells[2][0] == event.title and cells[2][6] == 50.0


def test_the_demo_books_two_dates_of_a_series_and_is_idempotent(home_page):
    demo.load(None)  # no series: nothing happens
    assert not Registration.objects.filter(occurrence__isnull=False).exists()
    event, (first, second, third) = make_series(home_page, capacity=2)
    demo.load(None)
    demo.load(None)
    counts = [Registration.objects.filter(occurrence=date).count() for date in (first, second, third)]
    assert counts == [2, 2, 0]  # never more than a date's seats
    assert services.seats_remaining(event, occurrence=first) == 0
