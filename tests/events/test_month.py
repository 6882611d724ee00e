"""The agenda's month calendar and the agenda cards' date and seats badges."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.agenda import agenda_entries, shift_month
from events.models import EventStatus
from registrations.models import RegistrationMode, RegistrationStatus
from tests.events.factories import (
    EventCategoryFactory,
    EventIndexPageFactory,
    EventPageFactory,
    days_from_now,
    paris,
)
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db

MONTH = "mois/2030/12/"


def day_cells(response):
    """{day number: [event titles]} of the grid's days of the month (cells outside it left out)."""
    html = response.content.decode()
    cells = re.findall(r'<td class="month__day(?! month__day--outside)[^"]*"[^>]*>(.*?)</td>', html, re.S)
    days = {}
    for cell in cells:
        number = int(re.search(r'class="month__number" aria-hidden="true">(\d+)<', cell).group(1))
        days[number] = re.findall(r'<a href="[^"]+">([^<]+)</a>', cell)
    return days


def test_events_appear_on_their_days_and_a_multi_day_event_on_each_day(client, agenda):
    EventPageFactory(parent=agenda, title="Atelier vélo", start=paris(2030, 12, 3, 14), end=paris(2030, 12, 3, 17))
    EventPageFactory(
        parent=agenda, title="Exposition", start=paris(2030, 12, 30, 10), end=paris(2031, 1, 2, 18), all_day=True
    )
    EventPageFactory(parent=agenda, title="Déjà en novembre", start=paris(2030, 11, 29, 9), end=paris(2030, 12, 1, 12))
    EventPageFactory(parent=agenda, title="En janvier", start=paris(2031, 1, 5, 9))
    EventPageFactory(parent=agenda, title="Brouillon", start=paris(2030, 12, 3, 9), live=False)

    response = client.get(agenda.url + MONTH)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<caption class="month__caption">Décembre 2030</caption>' in html
    days = day_cells(response)
    assert sorted(days) == list(range(1, 32))
    assert days[1] == ["Déjà en novembre"]
    assert days[3] == ["Atelier vélo"]
    assert days[30] == days[31] == ["Exposition"]
    assert all(not titles for day, titles in days.items() if day not in (1, 3, 30, 31))
    assert "En janvier" not in html and "Brouillon" not in html
    assert "3 événements ce mois-ci" in html


def test_grid_is_a_table_with_french_day_headers_expanded_for_screen_readers(client, agenda):
    html = client.get(agenda.url + MONTH).content.decode()
    headers = re.findall(
        r'<th scope="col"><span aria-hidden="true">([^<]+)</span><span class="visually-hidden">([^<]+)<', html
    )
    assert headers == [
        ("lun.", "lundi"),
        ("mar.", "mardi"),
        ("mer.", "mercredi"),
        ("jeu.", "jeudi"),
        ("ven.", "vendredi"),
        ("sam.", "samedi"),
        ("dim.", "dimanche"),
    ]
    # 1 December 2030 is a Sunday: the first week has six days of November, outside the month.
    first_week = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S).group(1)
    assert first_week.count("month__day--outside") == 6
    assert '<span class="month__full">dimanche 1er décembre</span>' in html


def test_today_is_marked(client, agenda):
    today = timezone.localdate()
    EventPageFactory(parent=agenda, title="Aujourd'hui", start=days_from_now(0, 18), end=None)
    html = client.get(f"{agenda.url}mois/{today.year}/{today.month}/").content.decode()
    assert html.count('aria-current="date"') == 1
    cell = re.search(r'<td class="[^"]*month__day--today"[^>]*aria-current="date">(.*?)</td>', html, re.S).group(1)
    assert f'aria-hidden="true">{today.day}<' in cell
    assert "aujourd’hui" in cell and "Aujourd&#x27;hui" in cell
    assert 'aria-current="date"' not in client.get(agenda.url + MONTH).content.decode()


def test_cancelled_and_postponed_events_are_marked(client, agenda):
    EventPageFactory(parent=agenda, title="Annulé là", start=paris(2030, 12, 4, 9), status=EventStatus.CANCELLED)
    EventPageFactory(parent=agenda, title="Reporté là", start=paris(2030, 12, 5, 9), status=EventStatus.POSTPONED)
    html = client.get(agenda.url + MONTH).content.decode()
    assert re.search(
        r'month__event--cancelled"><span class="event-badge event-badge--cancelled">Annulé</span> <a', html
    )
    assert re.search(
        r'<span class="event-badge event-badge--postponed">Reporté</span> <a href="[^"]+">Reporté là', html
    )


def test_category_filter_applies_and_is_kept_by_the_month_links(client, agenda):
    atelier = EventCategoryFactory(name="Atelier", slug="atelier")
    expo = EventCategoryFactory(name="Exposition", slug="exposition")
    EventPageFactory(parent=agenda, title="Atelier carto", start=paris(2030, 12, 10, 9), category=atelier)
    EventPageFactory(parent=agenda, title="Expo photo", start=paris(2030, 12, 10, 9), category=expo)

    response = client.get(agenda.url + MONTH, {"categorie": "exposition"})

    assert day_cells(response)[10] == ["Expo photo"]
    html = response.content.decode()
    assert f'href="{agenda.url}mois/2030/11/?categorie=exposition" rel="prev"' in html
    assert f'href="{agenda.url}mois/2031/1/?categorie=exposition" rel="next"' in html
    assert f'href="{agenda.url}?categorie=exposition">Vue liste' in html
    assert '<option value="exposition" selected>' in html


def test_an_unknown_category_is_reported_and_every_event_shown(client, agenda):
    EventPageFactory(parent=agenda, title="Atelier carto", start=paris(2030, 12, 10, 9))
    response = client.get(agenda.url + MONTH, {"categorie": "inconnue"})
    assert response.status_code == 200
    assert day_cells(response)[10] == ["Atelier carto"]
    assert 'class="form-errors" role="alert"' in response.content.decode()


def test_previous_and_next_month_links_cross_the_year(client, agenda):
    html = client.get(agenda.url + "mois/2031/1/").content.decode()
    assert f'href="{agenda.url}mois/2030/12/" rel="prev"' in html
    assert f'href="{agenda.url}mois/2031/2/" rel="next"' in html
    assert 'Mois précédent<span class="visually-hidden"> : décembre 2030</span>' in html
    assert client.get(agenda.url + "mois/2030/12/").status_code == 200


@pytest.mark.parametrize("path", ["mois/2030/13/", "mois/2030/0/", "mois/1999/12/", "mois/99999/1/", "mois/2030/"])
def test_a_bad_month_is_not_found(client, agenda, path):
    assert client.get(agenda.url + path).status_code == 404


def test_the_edges_of_the_served_months_have_no_link_beyond(client, agenda):
    html = client.get(agenda.url + "mois/2100/12/").content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' in html
    assert shift_month(2000, 1, -1) is None
    assert shift_month(2030, 12, 1) == (2031, 1)


def test_events_of_another_agenda_are_not_shown(client, agenda, home_page):
    other = EventIndexPageFactory(parent=home_page, title="Autre", slug="autre")
    EventPageFactory(parent=other, title="Ailleurs", start=paris(2030, 12, 2, 9))
    assert "Ailleurs" not in client.get(agenda.url + MONTH).content.decode()


def test_the_agenda_links_to_the_current_month_and_back(client, agenda):
    today = timezone.localdate()
    EventCategoryFactory(name="Atelier", slug="atelier")
    html = client.get(agenda.url, {"categorie": "atelier"}).content.decode()
    assert f'href="{agenda.url}mois/{today.year}/{today.month}/?categorie=atelier">Vue mois</a>' in html
    assert f'<a href="{agenda.url}" aria-current="page">Vue liste</a>' in html


def test_entries_clip_events_to_the_requested_days():
    class Event:
        def __init__(self, start, end=None):
            self.start, self.end = start, end

    long = Event(paris(2030, 11, 28, 9), paris(2030, 12, 2, 17))
    short = Event(paris(2030, 12, 1, 20))
    entries = agenda_entries([long, short], date(2030, 12, 1), date(2030, 12, 31))
    assert entries == [
        (date(2030, 12, 1), long, None),
        (date(2030, 12, 1), short, None),
        (date(2030, 12, 2), long, None),
    ]


# ---------------------------------------------------------------------------
# Query counts


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def _bookable(agenda, count, start_day=1, **fields):
    category = EventCategoryFactory()
    return [
        EventPageFactory(
            parent=agenda,
            start=paris(2030, 12, (start_day + n) % 28 + 1, 9),
            end=paris(2030, 12, (start_day + n) % 28 + 2, 17),
            category=category,
            registration_mode=RegistrationMode.OPEN,
            capacity=10,
            **fields,
        )
        for n in range(count)
    ]


def test_month_view_query_count_does_not_grow_with_events(client, agenda):
    _bookable(agenda, 10)
    with_ten, response = _count(client, agenda.url + MONTH)
    assert sum(len(titles) for titles in day_cells(response).values()) == 20
    _bookable(agenda, 190)
    with_two_hundred, response = _count(client, agenda.url + MONTH)
    assert sum(len(titles) for titles in day_cells(response).values()) == 400
    assert with_ten == with_two_hundred
    assert with_two_hundred <= 14  # 12 today: site, page, menu, settings, categories, the events


def _card_seats(response):
    return re.findall(r'class="event-card__seats seats-badge seats-badge--[a-z_]+">([^<]+)<', response.content.decode())


def test_cards_seats_cost_one_query_for_the_whole_page(client, agenda):
    events = []
    for n in range(3):
        events.append(
            EventPageFactory(
                parent=agenda,
                start=days_from_now(n + 1),
                registration_mode=RegistrationMode.OPEN,
                capacity=10,
                waitlist_enabled=False,
            )
        )
    make_registration(events[0], seats=5)
    with_three, response = _count(client, agenda.url)
    assert _card_seats(response) == ["5 places", "10 places", "10 places"]
    for n in range(9):
        make_registration(
            EventPageFactory(
                parent=agenda,
                start=days_from_now(n + 5),
                registration_mode=RegistrationMode.OPEN,
                capacity=2,
                waitlist_enabled=False,
            ),
            seats=1,
        )
    with_twelve, response = _count(client, agenda.url)
    assert len(_card_seats(response)) == 12
    assert with_twelve == with_three


def test_cards_carry_a_date_badge_and_the_seats_state(client, agenda):
    start = days_from_now(3)
    open_event = EventPageFactory(
        parent=agenda, title="Places", start=start, registration_mode=RegistrationMode.OPEN, capacity=4
    )
    make_registration(open_event, seats=3)
    full = EventPageFactory(
        parent=agenda,
        title="Complet",
        start=days_from_now(4),
        registration_mode=RegistrationMode.OPEN,
        capacity=1,
        waitlist_enabled=False,
    )
    make_registration(full)
    waiting = EventPageFactory(
        parent=agenda,
        title="Attente",
        start=days_from_now(5),
        registration_mode=RegistrationMode.OPEN,
        capacity=1,
        waitlist_enabled=True,
    )
    make_registration(waiting)
    make_registration(waiting, status=RegistrationStatus.WAITLISTED)
    EventPageFactory(parent=agenda, title="Libre", start=days_from_now(6))  # no registration: no badge

    response = client.get(agenda.url)

    assert _card_seats(response) == ["1 place", "Complet", "Liste d&#x27;attente"]
    html = response.content.decode()
    local = timezone.localtime(start)
    months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
    assert (
        f'<p class="event-card__date" aria-hidden="true"><span class="event-card__day">{local.day}</span> '
        f'<span class="event-card__month">{months[local.month - 1]}</span></p>'
    ) in html
