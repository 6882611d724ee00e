"""The public path of a series: dates in the registration box, the form of one date, and what the person receives."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from icalendar import Calendar

from events.models import OccurrenceStatus
from registrations import services, tokens
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.series import add_date, make_series
from tests.registrations.test_views import form_data

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def date_url(event, occurrence):
    return reverse("registrations:register_date", args=[event.pk, occurrence.pk])


def test_the_event_page_lists_each_date_with_its_badge_and_link(client, home_page):
    event, (full, waiting, open_date, cancelled) = make_series(home_page, dates=4, capacity=2)
    event.waitlist_enabled = False
    event.save()
    for n in range(2):
        services.register(event, occurrence=full, **person(n))
    waiting.capacity = 1
    waiting.save()
    Registration.objects.create(
        event=event, occurrence=waiting, first_name="A", last_name="B", email="a@example.org", status=S.CONFIRMED
    )
    cancelled.status = OccurrenceStatus.CANCELLED
    cancelled.save()
    html = client.get(event.url).content.decode()
    box = html.split('class="registration-box"')[1].split("</section>")[0]
    items = re.findall(r'<li class="series-dates__item.*?</li>', box, re.S)
    assert len(items) == 4
    assert "Complet" in items[0] and date_url(event, full) not in items[0]
    assert "Complet" in items[1]
    assert "2 places" in items[2] and f'href="{date_url(event, open_date)}"' in items[2]
    assert "S'inscrire" in items[2]
    assert "Annulée" in items[3] and "href" not in items[3]


def test_a_full_date_with_a_waiting_list_says_so(client, home_page):
    event, (date, *_rest) = make_series(home_page, dates=1, capacity=1)
    services.register(event, occurrence=date, **person(1))
    html = client.get(event.url).content.decode()
    assert "Liste d&#x27;attente" in html or "Liste d'attente" in html
    assert date_url(event, date) in html


def count_page_queries(client, event):
    return count_page_queries_of(client, event.url)


def count_page_queries_of(client, url):
    client.get(url)  # warm the caches every page view shares (site, settings, menus)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_event_pages_queries_do_not_grow_with_its_dates(client, home_page):
    few, few_dates = make_series(home_page, dates=10, capacity=3)
    many, many_dates = make_series(home_page, dates=50, capacity=3)
    for date in (few_dates[0], many_dates[0], many_dates[-1]):
        services.register(date.event, occurrence=date, **person(date.pk))
    assert count_page_queries(client, few) == count_page_queries(client, many)
    assert count_page_queries(client, many) <= 40
    # The box shows the first dates and leads to the page that lists them all, in as many queries.
    html = client.get(many.url).content.decode()
    assert html.count('class="series-dates__item') == 8
    all_dates = reverse("registrations:register", args=[many.pk])
    assert f'href="{all_dates}"' in html
    assert client.get(all_dates).content.decode().count('class="series-dates__item') == 50
    assert count_page_queries_of(client, reverse("registrations:register", args=[few.pk])) == count_page_queries_of(
        client, all_dates
    )


def test_the_form_of_a_date_registers_for_that_date_and_thanks_for_it(client, home_page, commit):
    event, (first, second, _third) = make_series(home_page, capacity=3)
    response = client.get(date_url(event, second))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{date_url(event, second)}"' in html
    assert services.BookableUnit(event, second).dates_display.capitalize() in html.replace("&#x27;", "'")
    with commit():
        response = client.post(date_url(event, second), form_data())
    thanks = reverse("registrations:thanks_date", args=[event.pk, second.pk])
    assert response.status_code == 302 and response["Location"] == thanks
    registration = Registration.objects.get()
    assert registration.occurrence == second and registration.status == S.CONFIRMED
    page = client.get(thanks).content.decode()
    assert "camille@example.org" in page
    assert services.BookableUnit(event, second).dates_display.capitalize() in page.replace("&#x27;", "'")


def test_a_series_without_a_date_offers_the_choice(client, home_page):
    event, dates = make_series(home_page, capacity=3)
    response = client.get(reverse("registrations:register", args=[event.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<form" not in html.split("<main")[-1]
    for date in dates:
        assert date_url(event, date) in html
    # A post without a date registers nobody.
    client.post(reverse("registrations:register", args=[event.pk]), form_data())
    assert not Registration.objects.exists()


def test_dates_of_another_event_or_of_an_event_without_dates_are_not_found(client, home_page):
    event, (date, *_rest) = make_series(home_page)
    other, _dates = make_series(home_page)
    single = make_event(home_page)
    assert client.get(date_url(other, date)).status_code == 404
    stray = add_date(single, 3)
    assert client.get(date_url(single, stray)).status_code == 404


def test_a_past_or_cancelled_date_shows_no_form(client, home_page):
    event, (date, *_rest) = make_series(home_page)
    past = add_date(event, -2)
    date.status = OccurrenceStatus.CANCELLED
    date.save()
    for occurrence, words in ((past, "Inscriptions closes"), (date, "Date annulée")):
        html = client.get(date_url(event, occurrence)).content.decode()
        assert words in html and 'name="first_name"' not in html


def ics_of(attachment):
    return Calendar.from_ical(attachment[1])


def test_confirmation_names_and_carries_the_booked_date_only(home_page, commit):
    event, (first, second, _third) = make_series(home_page, capacity=3)
    with commit():
        registration = services.register(event, occurrence=second, **person(1))
    message = mail.outbox[-1]
    when = services.BookableUnit(event, second).dates_display
    assert when.capitalize() in message.body
    assert "(" in message.subject and message.subject.startswith("Inscription confirmée")
    calendar = ics_of(next(a for a in message.attachments if a[0].endswith(".ics")))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["uid"]).startswith(f"occurrence-{second.pk}@")
    assert events[0].decoded("dtstart") == second.start
    mail.outbox.clear()
    with commit():
        services.cancel(registration)
    cancellation = mail.outbox[-1]
    calendar = ics_of(next(a for a in cancellation.attachments if a[0].endswith(".ics")))
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["uid"]).startswith(f"occurrence-{second.pk}@")


def test_the_self_service_page_and_its_calendar_are_the_dates(client, home_page):
    event, (first, second, _third) = make_series(home_page, capacity=3)
    second.note = "Exceptionnellement en salle 2"
    second.save()
    registration = services.register(event, occurrence=second, **person(1))
    value = tokens.make_manage_value(registration)
    html = client.get(reverse("registrations:manage", args=[value])).content.decode()
    assert services.BookableUnit(event, second).dates_display.capitalize() in html.replace("&#x27;", "'")
    assert "Exceptionnellement en salle 2" in html
    response = client.get(reverse("registrations:manage_ics", args=[value]))
    vevents = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(v["uid"]).split("@")[0] for v in vevents] == [f"occurrence-{second.pk}"]


def test_the_self_service_page_lets_cancel_until_the_dates_start(client, home_page):
    event, (first, second, _third) = make_series(home_page, capacity=3)
    registration = services.register(event, occurrence=second, **person(1))
    value = tokens.make_manage_value(registration)
    with freeze_time(first.start + datetime.timedelta(hours=1)):  # the series has begun, not this date
        client.post(reverse("registrations:manage_cancel", args=[value]))
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_reminders_leave_the_day_before_each_date(home_page, commit):
    event, (first, second, _third) = make_series(home_page, capacity=3)
    on_first = services.register(event, occurrence=first, **person(1))
    on_second = services.register(event, occurrence=second, **person(2))
    mail.outbox.clear()
    with freeze_time(first.start - datetime.timedelta(hours=20)), commit():
        call_command("send_reminders", hours=24, stdout=io.StringIO())
    assert [m.to[0] for m in mail.outbox] == [on_first.email]
    on_second.refresh_from_db()
    assert on_second.reminder_sent_at is None
