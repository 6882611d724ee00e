"""The agenda's listing is built once and kept, yet every change a visitor could see shows at the next request.

``{% keptlisting %}`` (registrations/templatetags/registration_tags.py) keeps the
rendered listing in the worker per generation and clock period; the seats badges
are read on each request, a change of a listed event (a cancelled date) rebuilds
it, a publication starts a new generation. The facts every page reads (site
settings, private sections, categories) are kept the same way
(``core/generation_memo.py``).
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.models import EventCategory, EventPage
from home.models import SiteSettings
from registrations import services
from tests.registrations.factories import make_event, person
from tests.registrations.series import make_series

pytestmark = pytest.mark.django_db


def agenda_of(event):
    return EventPage.objects.get(pk=event.pk).get_parent().url


def listing(client, url):
    """The listing part of the agenda (between the filters and the feeds), and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('class="agenda__filters"') : html.index('class="agenda__subscribe"')], len(queries)


def card_badges(html):
    return re.findall(r'class="event-card__seats seats-badge[^"]*">([^<]+)<', html)


@pytest.fixture
def event(home_page):
    return make_event(home_page, title="Atelier gardé", slug="atelier-garde", capacity=6)


def test_a_seat_taken_shows_in_the_kept_listing_at_the_next_request(client, event):
    url = agenda_of(event)
    listing(client, url)
    html, kept_queries = listing(client, url)
    assert "Atelier gardé" in html and card_badges(html) == ["6 places"]

    services.register(event, **person(1))

    html, queries = listing(client, url)
    assert card_badges(html) == ["5 places"]
    assert queries == kept_queries  # still the kept listing: only the route and the seats are read


def test_the_kept_listing_costs_two_queries_whatever_it_lists(client, event, home_page):
    for n in range(5):
        make_event(home_page, title=f"Autre atelier {n}", slug=f"autre-atelier-{n}", capacity=10)
    url = agenda_of(event)
    listing(client, url)
    html, queries = listing(client, url)
    assert html.count('<li class="event-card') == 6
    assert queries == 2  # the agenda page (its remembered route) and every card's seats in one query


def test_a_cancelled_date_of_a_listed_series_shows_at_the_next_request(
    client, home_page, django_capture_on_commit_callbacks, django_user_model
):
    series, dates = make_series(home_page, title="Permanence numérique", slug="permanence", capacity=8)
    url = agenda_of(series)
    listing(client, url)
    html, _ = listing(client, url)
    assert "et 2 autres dates" in html

    staff = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "x")
    with django_capture_on_commit_callbacks(execute=True):  # the seats' signal leaves on commit
        services.cancel_occurrence(dates[0], by=staff, message="Salle indisponible")

    html, _ = listing(client, url)
    assert "et 1 autre date" in html and "et 2 autres dates" not in html


def test_a_published_event_and_a_new_category_show_at_the_next_request(client, event, home_page):
    url = agenda_of(event)
    listing(client, url)
    listing(client, url)

    EventCategory.objects.create(name="Rencontres", slug="rencontres")  # a snippet: saving it moves the generation
    make_event(home_page, title="Nouvelle rencontre", slug="nouvelle-rencontre")

    html, _ = listing(client, url)
    assert "Nouvelle rencontre" in html
    assert '<option value="rencontres">Rencontres</option>' in html


def test_a_private_event_leaves_the_listing_at_the_next_request(client, event, home_page):
    hidden = make_event(home_page, title="Atelier réservé", slug="atelier-reserve")
    url = agenda_of(event)
    listing(client, url)
    assert "Atelier réservé" in listing(client, url)[0]

    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)

    html, _ = listing(client, url)
    assert "Atelier réservé" not in html and "Atelier gardé" in html


def test_saved_site_settings_show_at_the_next_request(client, event):
    url = agenda_of(event)
    client.get(url)
    client.get(url)
    site_settings = SiteSettings.objects.get()
    site_settings.footer_text = "Ouvert aussi le samedi matin."
    site_settings.save()

    assert "Ouvert aussi le samedi matin." in client.get(url).content.decode()


def month_url(event, when=None):
    start = timezone.localtime(when or event.start)
    return f"{agenda_of(event)}mois/{start.year}/{start.month}/"


def test_a_cancelled_date_shows_in_the_kept_month_view_at_the_next_request(
    client, home_page, django_capture_on_commit_callbacks, django_user_model
):
    series, dates = make_series(home_page, title="Permanence du mois", slug="permanence-mois", capacity=8)
    url = month_url(series, dates[0].start)
    client.get(url)
    assert "month__event--cancelled" not in client.get(url).content.decode()

    staff = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "x")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_occurrence(dates[0], by=staff)

    html = client.get(url).content.decode()
    assert "month__event--cancelled" in html and "Annulée" in html


def test_the_kept_month_view_costs_one_query(client, event, home_page):
    for n in range(4):
        make_event(home_page, title=f"Rendez-vous {n}", slug=f"rendez-vous-{n}", start=event.start)
    url = month_url(event)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "Rendez-vous 3" in html and "Atelier gardé" in html
    assert len(queries) == 1  # the agenda page itself


def test_a_new_event_shows_among_the_home_page_upcoming_events_at_the_next_request(client, home_page):
    make_event(home_page, title="Premier rendez-vous", slug="premier", start=timezone.now() + timedelta(days=9))
    client.get("/")
    assert "Premier rendez-vous" in client.get("/").content.decode()

    make_event(home_page, title="Rendez-vous plus proche", slug="plus-proche", start=timezone.now() + timedelta(days=2))

    html = client.get("/").content.decode()
    assert html.index("Rendez-vous plus proche") < html.index("Premier rendez-vous")
