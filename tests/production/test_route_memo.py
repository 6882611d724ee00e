"""Wagtail's routing remembered per generation (config/routing.py): fewer queries, never a wrong page (issue 18).

The memo gives Wagtail the site and the page (read fresh) of a path it already
routed under the current generation; everything that changes which page a path
shows, or who may see it, moves the generation.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from config import routing
from registrations import services
from tests.events.factories import make_agenda
from tests.home.factories import ContentPageFactory
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


def visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.fixture
def event(home_page):
    return make_event(home_page, title="Atelier mémorisé", slug="atelier-memorise", capacity=8)


def test_a_second_visit_routes_without_the_tree_walk(client, event):
    first, first_queries = visit(client, event.url)
    second, second_queries = visit(client, event.url)

    assert first.status_code == second.status_code == 200
    assert "Atelier mémorisé" in second.content.decode()
    assert "8 places restantes" in second.content.decode()
    # The site, two levels of children with their specific rows, the ancestors and their restrictions.
    assert first_queries - second_queries >= 5


def test_the_seats_are_read_again_on_every_visit(client, event):
    visit(client, event.url)
    visit(client, event.url)
    services.register(event, **person(1))
    response, _ = visit(client, event.url)
    assert "7 places restantes" in response.content.decode()


def test_an_unpublished_page_is_gone_at_the_next_request(client, event):
    visit(client, event.url)
    visit(client, event.url)

    event.unpublish()

    assert client.get(event.url).status_code == 404


def test_a_page_made_private_is_refused_at_the_next_request(client, home_page):
    page = ContentPageFactory(parent=home_page, title="Page interne", slug="interne")
    page.save_revision().publish()
    assert visit(client, page.url)[0].status_code == 200
    assert visit(client, page.url)[0].status_code == 200

    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(page.url)
    assert response.status_code == 302
    assert "Page interne" not in response.content.decode()


def test_a_renamed_page_leaves_its_old_address(client, event):
    old_url = event.url
    visit(client, old_url)
    visit(client, old_url)

    event.slug = "atelier-renomme"
    event.save_revision().publish()

    assert client.get(old_url).status_code == 404
    event.refresh_from_db()
    assert event.url.endswith("/atelier-renomme/")
    assert "Atelier mémorisé" in client.get(event.url).content.decode()


def test_a_sub_url_of_a_routable_page_is_routed_by_the_page(client, home_page, event):
    agenda = make_agenda(home_page)
    month = f"{agenda.url}mois/{event.start:%Y}/{event.start:%m}/"
    first, _ = visit(client, month)
    second, _ = visit(client, month)

    assert first.status_code == second.status_code == 200
    assert "Atelier mémorisé" in second.content.decode()
    assert client.get(f"{agenda.url}mois/2026/13/").status_code == 404


def test_without_the_cache_pages_are_routed_as_usual(client, event, monkeypatch):
    visit(client, event.url)
    monkeypatch.setattr(routing, "current_generation", lambda: None)

    response, _ = visit(client, event.url)

    assert response.status_code == 200
    assert "Atelier mémorisé" in response.content.decode()


def test_a_new_generation_forgets_every_route(client, event):
    visit(client, event.url)
    assert routing.memo.routes

    cache.clear()  # as when Redis loses its keys: a new generation starts from the clock
    visit(client, "/")

    assert [path for _host, _port, path in routing.memo.routes] == ["/"]
