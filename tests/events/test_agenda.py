"""The agenda page: upcoming by default, archive, filters, pagination, query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from events.models import EVENTS_PER_PAGE, EventPage
from events.templatetags.event_tags import agenda_page, upcoming_events
from tests.events.factories import EventCategoryFactory, EventPageFactory, VenueFactory, days_from_now, paris

pytestmark = pytest.mark.django_db


def titles(response):
    return re.findall(r'class="event-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_upcoming_events_soonest_first_and_ongoing_events_count(client, agenda):
    EventPageFactory(parent=agenda, title="Dans un mois", start=days_from_now(30))
    EventPageFactory(parent=agenda, title="Demain", start=days_from_now(1))
    EventPageFactory(parent=agenda, title="Hier", start=days_from_now(-1))
    # Started two days ago, ends in two days: still on the agenda.
    EventPageFactory(parent=agenda, title="En cours", start=days_from_now(-2), end=days_from_now(2, 17, 0))
    # All-day event of today with no end: still listed today.
    EventPageFactory(parent=agenda, title="Aujourd'hui", start=days_from_now(0, 0, 0), end=None, all_day=True)

    response = client.get(agenda.url)

    assert response.status_code == 200
    assert titles(response) == ["En cours", "Aujourd&#x27;hui", "Demain", "Dans un mois"]


def test_archive_lists_past_events_most_recent_first(client, agenda):
    EventPageFactory(parent=agenda, title="Demain", start=days_from_now(1))
    EventPageFactory(parent=agenda, title="Il y a un an", start=days_from_now(-365))
    EventPageFactory(parent=agenda, title="La semaine dernière", start=days_from_now(-7))

    response = client.get(agenda.url + "archives/")

    assert response.status_code == 200
    assert titles(response) == ["La semaine dernière", "Il y a un an"]
    assert "<h1>Événements passés</h1>" in response.content.decode()


def test_upcoming_and_past_querysets_are_complementary(agenda):
    for days, end in [(-3, None), (0, None), (-1, "same-day"), (2, "same-day")]:
        start = days_from_now(days)
        EventPageFactory(parent=agenda, start=start, end=start.replace(hour=17, minute=0) if end else None)
    upcoming = set(EventPage.objects.upcoming().values_list("pk", flat=True))
    past = set(EventPage.objects.past().values_list("pk", flat=True))
    assert upcoming.isdisjoint(past)
    assert upcoming | past == set(EventPage.objects.values_list("pk", flat=True))


def test_unpublished_events_are_not_listed(client, agenda):
    EventPageFactory(parent=agenda, title="Brouillon", live=False)
    EventPageFactory(parent=agenda, title="Publié")
    assert titles(client.get(agenda.url)) == ["Publié"]


def test_filter_by_category(client, agenda):
    atelier = EventCategoryFactory(name="Atelier", slug="atelier")
    expo = EventCategoryFactory(name="Exposition", slug="exposition")
    EventPageFactory(parent=agenda, title="Atelier carto", category=atelier)
    EventPageFactory(parent=agenda, title="Expo photo", category=expo)

    response = client.get(agenda.url, {"categorie": "exposition"})

    assert titles(response) == ["Expo photo"]
    html = response.content.decode()
    assert '<label for="id_categorie">Catégorie</label>' in html
    assert '<option value="exposition" selected>Exposition</option>' in html


def test_filter_by_month_includes_events_overlapping_the_month(client, agenda):
    EventPageFactory(parent=agenda, title="Juillet", start=paris(2099, 7, 3, 9, 30), end=paris(2099, 7, 3, 17))
    EventPageFactory(parent=agenda, title="Août", start=paris(2099, 8, 20, 9, 30), end=paris(2099, 8, 20, 17))
    EventPageFactory(parent=agenda, title="Fin juillet à début août", start=paris(2099, 7, 30), end=paris(2099, 8, 2))

    response = client.get(agenda.url, {"mois": "2099-08"})

    assert titles(response) == ["Fin juillet à début août", "Août"]
    assert '<option value="2099-08" selected>Août 2099</option>' in response.content.decode()


def test_month_filter_in_the_archive(client, agenda):
    EventPageFactory(parent=agenda, title="Juillet 2024", start=paris(2024, 7, 3, 9), end=paris(2024, 7, 3, 17))
    EventPageFactory(parent=agenda, title="Mars 2024", start=paris(2024, 3, 3, 9), end=paris(2024, 3, 3, 17))
    response = client.get(agenda.url + "archives/", {"mois": "2024-07"})
    assert titles(response) == ["Juillet 2024"]


def test_invalid_filters_are_reported_and_valid_ones_still_apply(client, agenda):
    EventPageFactory(parent=agenda, title="Atelier", category=EventCategoryFactory(slug="atelier"))
    EventPageFactory(parent=agenda, title="Conférence", category=EventCategoryFactory(slug="conference"))

    response = client.get(agenda.url, {"mois": "n'importe quoi", "categorie": "atelier", "page": "zzz"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert '<a href="#id_mois">Mois : ' in html
    assert titles(response) == ["Atelier"]


def test_pagination_keeps_the_filters(client, agenda):
    category = EventCategoryFactory(slug="atelier")
    for day in range(EVENTS_PER_PAGE + 3):
        EventPageFactory(parent=agenda, title=f"Atelier {day:02d}", start=days_from_now(day + 1), category=category)

    first = client.get(agenda.url, {"categorie": "atelier"})
    second = client.get(agenda.url, {"categorie": "atelier", "page": 2})

    assert len(titles(first)) == EVENTS_PER_PAGE
    assert titles(second) == ["Atelier 12", "Atelier 13", "Atelier 14"]
    assert "?categorie=atelier&amp;page=2" in first.content.decode()
    assert "Page 2 sur 2" in second.content.decode()


def test_agenda_advertises_its_calendar_feed(client, agenda):
    html = client.get(agenda.url).content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="http://testserver/calendrier/agenda.ics"' in html
    assert 'href="webcal://testserver/calendrier/agenda.ics"' in html


def _create_events(agenda, count, image, past=False):
    categories = [EventCategoryFactory(slug=f"cat-{n}") for n in range(3)]
    venues = [VenueFactory() for _ in range(3)]
    for n in range(count):
        days = n % 60 + 1
        EventPageFactory(
            parent=agenda,
            start=days_from_now(-days if past else days),
            category=categories[n % 3],
            venue=venues[n % 3],
            image=image,
        )


def _count_queries(client, url):
    client.get(url)  # warm-up: creates the image renditions once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(titles(response)) >= 10
    return len(queries)


@pytest.fixture
def image():
    return Image.objects.create(title="Visuel", file=get_test_image_file())


def test_agenda_query_count_does_not_grow_with_events(client, agenda, image):
    _create_events(agenda, 10, image)
    with_ten = _count_queries(client, agenda.url)
    _create_events(agenda, 190, image)
    with_two_hundred = _count_queries(client, agenda.url)

    assert with_ten == with_two_hundred
    # Budget includes the site-wide parts of base.html (settings, menu, footer).
    assert with_two_hundred <= 20


def test_archive_query_count_does_not_grow_with_events(client, agenda, image):
    _create_events(agenda, 10, image, past=True)
    with_ten = _count_queries(client, agenda.url + "archives/")
    _create_events(agenda, 30, image, past=True)
    assert _count_queries(client, agenda.url + "archives/") == with_ten


def test_upcoming_events_tag_gives_other_pages_the_next_public_events(agenda):
    """The tag the home page uses: live events only, soonest first, at most ``limit``."""
    EventPageFactory(parent=agenda, title="Passé", start=days_from_now(-3))
    for n in range(4):
        EventPageFactory(parent=agenda, title=f"Prochain {n}", start=days_from_now(n + 1))
    EventPageFactory(parent=agenda, title="Brouillon", start=days_from_now(0, 23, 59), live=False)
    assert [page.title for page in upcoming_events({}, 3)] == ["Prochain 0", "Prochain 1", "Prochain 2"]
    assert agenda_page() == agenda


def test_sitemap_lists_the_agenda_archive_and_events(client, agenda):
    event = EventPageFactory(parent=agenda)
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/agenda/</loc>" in body
    assert "<loc>http://localhost/agenda/archives/</loc>" in body
    assert f"<loc>http://localhost/agenda/{event.slug}/</loc>" in body
