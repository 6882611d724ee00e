"""What visitors see of a series: the agenda lists it once at its next date, the month view every date,
the event page says its rule and lists its upcoming dates."""

import re
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.cache import purge_all
from events.models import EventSchedule, Occurrence, OccurrenceStatus
from tests.events.factories import EventCategoryFactory, EventPageFactory, VenueFactory, days_from_now, paris

pytestmark = pytest.mark.django_db


def make_series(agenda, starts, **fields):
    """A published series whose dates are ``starts`` (two hours each), stored as the sync leaves them."""
    page = EventPageFactory(
        parent=agenda,
        schedule=EventSchedule.SERIES,
        start=starts[0],
        end=starts[-1] + timedelta(hours=2),
        **fields,
    )
    Occurrence.objects.bulk_create(
        Occurrence(event=page, original_start=start, start=start, end=start + timedelta(hours=2)) for start in starts
    )
    return page


def card_titles(response):
    return re.findall(r'class="event-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def month_links(response):
    html = response.content.decode()
    return re.findall(r'<li class="month__event[^"]*">(.*?)</li>', html, re.S)


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_agenda_lists_a_series_once_at_its_next_date_with_the_number_of_later_ones(client, agenda):
    weekly = [days_from_now(days, hour=14) for days in (-7, 3, 10, 17, 24)]
    series = make_series(agenda, weekly, title="Atelier numérique")
    first_date = series.occurrences.get(start=weekly[1])
    first_date.status = OccurrenceStatus.CANCELLED  # the next date that takes place is the one after
    first_date.save()
    EventPageFactory(parent=agenda, title="Conférence", start=days_from_now(5), end=days_from_now(5, hour=12))

    response = client.get(agenda.url)

    assert card_titles(response) == ["Conférence", "Atelier numérique"]
    html = response.content.decode()
    card = html.split("Atelier numérique</a>", 1)[1].split("</article>", 1)[0]
    assert f'datetime="{weekly[2].isoformat()}"' in card
    assert "et 2 autres dates" in card


def test_the_month_filter_of_the_list_finds_a_series_by_its_dates(client, agenda):
    make_series(agenda, [paris(2099, 3, 3, 14), paris(2099, 5, 5, 14)], title="Atelier numérique")
    EventPageFactory(parent=agenda, title="Conférence", start=paris(2099, 4, 7, 9), end=paris(2099, 4, 7, 12))
    html = client.get(agenda.url).content.decode()
    assert 'value="2099-03"' in html and 'value="2099-04"' in html and 'value="2099-05"' in html
    may = client.get(agenda.url, {"mois": "2099-05"})
    assert card_titles(may) == ["Atelier numérique"]
    # The card shows the series' date of that month, not its next one.
    assert f'datetime="{paris(2099, 5, 5, 14).isoformat()}"' in may.content.decode()
    assert "autre date" not in may.content.decode()
    # April lies within the series' first and last dates, but it has no date then.
    assert card_titles(client.get(agenda.url, {"mois": "2099-04"})) == ["Conférence"]


def test_the_month_view_shows_every_date_of_the_month_and_marks_the_cancelled_one(client, agenda):
    tuesdays = [paris(2099, 2, 24, 14)] + [paris(2099, 3, day, 14) for day in (3, 10, 17, 24, 31)]
    series = make_series(agenda, tuesdays, title="Atelier numérique", category=EventCategoryFactory(slug="atelier"))
    cancelled = series.occurrences.get(start=paris(2099, 3, 17, 14))
    cancelled.status = OccurrenceStatus.CANCELLED
    cancelled.save()
    EventPageFactory(parent=agenda, title="Conférence", start=paris(2099, 3, 10, 9), end=paris(2099, 3, 10, 12))

    response = client.get(agenda.url + "mois/2099/3/")

    links = month_links(response)
    assert len(links) == 6
    series_links = [link for link in links if "Atelier numérique" in link]
    assert len(series_links) == 5
    assert [link for link in series_links if "Annulée" in link] == [
        link for link in series_links if f"#date-{cancelled.pk}" in link
    ]
    assert "5 événements ce mois-ci" not in response.content.decode()
    assert "6 événements ce mois-ci" in response.content.decode()
    # On 10 March the conference (9 h) comes before the workshop (14 h).
    day_ten = response.content.decode().split("mardi 10 mars", 1)[1].split("</td>", 1)[0]
    assert day_ten.index("Conférence") < day_ten.index("Atelier numérique")
    # The category filter still applies to the dates.
    filtered = month_links(client.get(agenda.url + "mois/2099/3/", {"categorie": "atelier"}))
    assert len(filtered) == 5


def _series_with(agenda, count, category):
    starts = [paris(2099, 3, 1, 10) + timedelta(hours=7 * n) for n in range(count)]  # several a day, all in March
    return make_series(agenda, starts, category=category)


@pytest.mark.parametrize("url", ["", "mois/2099/3/"])
def test_agenda_and_month_query_counts_do_not_grow_with_the_dates(client, agenda, url):
    category = EventCategoryFactory()
    series = _series_with(agenda, 10, category)
    EventPageFactory(parent=agenda, start=paris(2099, 3, 2, 9), end=paris(2099, 3, 2, 12), category=category)
    with_ten, response = count_queries(client, agenda.url + url)
    Occurrence.objects.bulk_create(
        Occurrence(event=series, original_start=start, start=start, end=start + timedelta(hours=2))
        for start in (paris(2099, 3, 4, 10) + timedelta(hours=2 * n) for n in range(190))
    )
    purge_all()  # as publishing the series' new rule does: the listings are built again
    with_two_hundred, response = count_queries(client, agenda.url + url)
    assert with_ten == with_two_hundred
    if url:
        assert len(month_links(response)) == 201
        assert with_two_hundred <= 15
    else:
        assert "et 199 autres dates" in response.content.decode()
        assert with_two_hundred <= 20


def test_the_event_page_says_the_rule_and_lists_the_upcoming_dates(client, agenda):
    hall = VenueFactory(name="Maison de quartier des Grésilles", address="2 rue Gresilles")
    page = make_series(
        agenda,
        [paris(2099, 1, 6, 14), paris(2099, 1, 13, 14), paris(2099, 1, 20, 14)],
        title="Atelier numérique",
        repeat_frequency="weekly",
        repeat_weekdays="1",
        repeat_from=date(2099, 1, 6),
        repeat_until=date(2099, 1, 20),
        repeat_start_time=time(14),
        repeat_end_time=time(16),
        repeat_skip_school_holidays=True,
        repeat_skip_public_holidays=False,
    )
    moved = page.occurrences.get(start=paris(2099, 1, 13, 14))
    moved.start, moved.end, moved.venue = paris(2099, 1, 15, 10), paris(2099, 1, 15, 12), hall
    moved.note = "Exceptionnellement un jeudi matin"
    moved.save()

    html = client.get(page.url).content.decode()

    assert "Tous les mardis, de 14\u00a0h à 16\u00a0h, du 6 au 20 janvier 2099, hors vacances scolaires" in html
    dates = html.split('id="prochaines-dates"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li id="date-(\d+)"', dates)
    assert len(items) == 3
    assert "jeudi 15 janvier 2099, 10\u00a0h\u00a0– 12\u00a0h" in dates
    assert "au lieu du mardi 13 janvier" in dates
    assert "Maison de quartier des Grésilles" in dates and "Exceptionnellement un jeudi matin" in dates
