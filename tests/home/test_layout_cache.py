"""The cached layout (menu, breadcrumbs, footer) is never stale and never breaks a page (issue 18).

The fragments are cached under the page cache's generation
(config/context_processors.py): whatever moves the generation (a publication,
a setting saved) shows at the next request.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from config import cache as page_cache
from home.models import SiteSettings
from home.structure import add_menu_item
from tests.home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    project = ContentPageFactory(parent=home_page, title="Le projet")
    history = ContentPageFactory(parent=project, title="Notre histoire")
    add_menu_item(Site.objects.get(), project)
    return project, history


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_published_title_shows_in_the_menu_and_breadcrumbs_of_every_page(client, pages):
    project, history = pages
    client.get("/")
    client.get(history.url)  # both layouts cached now

    project.title = "Le projet associatif"
    project.save_revision().publish()

    home = client.get("/").content.decode()
    history_page = client.get(history.url).content.decode()
    assert "Le projet associatif</a>" in home[home.index('aria-label="Menu principal"') :]
    breadcrumbs = history_page[history_page.index("Fil d'Ariane") :]
    assert "Le projet associatif</a>" in breadcrumbs


def test_a_footer_setting_shows_at_the_next_request(client, pages):
    client.get("/")
    site_settings = SiteSettings.for_site(Site.objects.get())
    site_settings.footer_text = "Ouvert à toutes et à tous, du mardi au samedi."
    site_settings.save()

    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert "Ouvert à toutes et à tous, du mardi au samedi." in footer


def test_the_cached_layout_spares_its_queries(client, pages):
    _, history = pages
    client.get(history.url)
    cached, body = queries_of(client, history.url)
    page_cache.purge_all()  # what a publication does: the layout is built again
    with CaptureQueriesContext(connection) as rebuilt:
        rebuilt_body = client.get(history.url).content.decode()

    assert rebuilt_body == body
    spared = [query["sql"] for query in rebuilt.captured_queries][: len(rebuilt) - cached]
    assert len(rebuilt) - cached >= 2, spared  # the menu entries with their pages, the breadcrumbs' ancestors


def test_a_failing_cache_still_renders_the_layout(client, pages, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    client.get(pages[1].url)  # the site's root paths cached, as on a running site
    page_cache.purge_all()  # the fragments must be stored again…
    backend = caches["default"]  # …but writes raise
    monkeypatch.setattr(backend, "set", down)

    body = client.get(pages[1].url).content.decode()
    assert 'aria-label="Menu principal"' in body
    assert "Le projet</a>" in body
    assert "<footer" in body


def test_a_preview_shows_the_draft_title_not_the_cached_one(client, pages):
    _, history = pages
    client.get(history.url)  # breadcrumbs cached with the live title
    draft = history.get_latest_revision_as_object()
    draft.title = "Notre histoire, brouillon"

    response = draft.make_preview_request(RequestFactory().get(history.url))

    body = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert '<span aria-current="page">Notre histoire, brouillon</span>' in body
