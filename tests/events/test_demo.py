"""The demo agenda loads, publishes its events and can be loaded again without changes."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.demo import UPCOMING_WORKSHOP_SLUG
from events.models import EventCategory, EventIndexPage, EventPage, Venue

pytestmark = pytest.mark.django_db


def test_demo_agenda_is_complete_and_idempotent(client):
    call_command("load_demo")
    workshop = EventPage.objects.get(slug=UPCOMING_WORKSHOP_SLUG)
    first_start = workshop.start
    counts = (EventPage.objects.count(), Venue.objects.count(), EventCategory.objects.count())

    call_command("load_demo")

    assert (EventPage.objects.count(), Venue.objects.count(), EventCategory.objects.count()) == counts
    assert EventPage.objects.get(slug=UPCOMING_WORKSHOP_SLUG).start == first_start
    assert EventIndexPage.objects.count() == 1
    assert set(EventCategory.objects.values_list("name", flat=True)) == {
        "Atelier",
        "Conférence",
        "Exposition",
        "Événement festif et citoyen",
        "Formation",
    }
    assert Venue.get_default().full_address == "La Coursive Boutaric, 33 place Galilée, 21000 Dijon"
    assert (workshop.capacity, workshop.registration_mode, workshop.waitlist_enabled) == (30, "open", True)
    assert timezone.localtime(workshop.start).weekday() < 5
    assert timezone.localtime(workshop.start).strftime("%H:%M") == "09:30"
    assert workshop.live and workshop.event_partners.exists()

    archive = EventPage.objects.get(slug="tiers-lieux-et-institutions-culturelles-2024")
    assert timezone.localtime(archive.start).date() == date(2024, 7, 3) and archive.all_day
    assert not EventPage.objects.filter(live=False).exists()
    assert EventPage.objects.upcoming().count() >= 4

    agenda = EventIndexPage.objects.get()
    assert workshop.title in client.get(agenda.url).content.decode()
    assert archive.title in client.get(agenda.url + "archives/").content.decode()
    assert client.get(workshop.url).status_code == 200


def test_demo_series_has_its_dates_out_of_holidays_and_one_moved_date(client):
    from datetime import time

    from core.dates import to_local
    from events.demo import MOVED_DATE, SERIES_SLUG
    from events.recurrence import public_holiday, school_holiday

    call_command("load_demo")
    series = EventPage.objects.get(slug=SERIES_SLUG)
    dates = list(series.occurrences.order_by("start"))
    call_command("load_demo")
    assert list(series.occurrences.order_by("start")) == dates  # idempotent

    assert series.is_series and series.live
    assert dates, "the season's upcoming Tuesdays"
    for occurrence in dates:
        day = to_local(occurrence.original_start)
        assert (day.weekday(), day.time()) == (1, time(14))
        assert date(2026, 9, 1) <= day.date() <= date(2027, 6, 29)
        assert not public_holiday(day.date()) and not school_holiday(day.date())
    planned, moved_day, start, _end = MOVED_DATE
    if timezone.localdate() < planned:
        (moved,) = [occurrence for occurrence in dates if occurrence.is_moved]
        assert to_local(moved.original_start).date() == planned
        assert (to_local(moved.start).date(), to_local(moved.start).time()) == (moved_day, start)
    html = client.get(series.url).content.decode()
    assert "Tous les mardis, de 14\u00a0h à 17\u00a0h" in html and "hors vacances scolaires et jours fériés" in html
