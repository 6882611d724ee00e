"""The anonymous page cache: served without queries, purged on every change, never shares forms."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from config.cache import GENERATION_KEY, purge_all
from registrations.signals import availability_changed

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


def test_second_visit_is_served_from_the_cache_without_queries(
    client, home_page, page_cache, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_a_page_purges_it(client, home_page, page_cache):
    client.get("/")
    home_page.title = "Nouveau titre pour accueil"
    home_page.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Nouveau titre pour accueil" in response.content.decode()


def test_unpublishing_and_deleting_purge(client, home_page, page_cache):
    child = home_page.add_child(instance=home_page.__class__.__base__(title="Éphémère", slug="ephemere"))
    assert client.get("/ephemere/").status_code == 200
    assert client.get("/ephemere/")["X-Page-Cache"] == "hit"
    child.unpublish()
    assert client.get("/ephemere/").status_code == 404
    child.save_revision().publish()
    assert client.get("/ephemere/").status_code == 200
    child.delete()
    assert client.get("/ephemere/").status_code == 404


def test_seat_changes_purge_event_pages(client, page_cache):
    """registrations.signals.availability_changed: the next request shows the new seats-left figure."""
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"
    assert client.get("/test/simple/")["X-Page-Cache"] == "hit"
    availability_changed.send(sender=None, event=None)
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"


def test_saving_a_snippet_purges(client, page_cache):
    from home.models import Partner

    client.get("/test/simple/")
    Partner.objects.create(name="Ville de Dijon")
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"


def test_query_string_and_host_are_part_of_the_key(client, page_cache):
    assert client.get("/test/simple/", {"n": "1"}).content == b"rendu 1"
    assert client.get("/test/simple/", {"n": "2"}).content == b"rendu 2"
    assert client.get("/test/simple/", {"n": "1"}, HTTP_HOST="autre.example.org")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("url", ["/test/formulaire/", "/test/prive/", "/test/cookie/", "/sante/"])
def test_forms_private_pages_cookies_and_health_are_never_stored(client, url, page_cache):
    client.get(url)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert not [key for key in page_cache._cache if "pagecache:page:" in key]


def test_each_visitor_gets_their_own_csrf_token(page_cache):
    from django.test import Client

    first = Client().get("/test/formulaire/").content
    second = Client().get("/test/formulaire/").content
    assert b"csrfmiddlewaretoken" in first
    assert first != second


def test_logged_in_editors_bypass_the_cache(client, home_page, page_cache):
    client.get("/")
    editor = get_user_model().objects.create_superuser("redaction", "r@example.org", "mot-de-passe-solide")
    client.force_login(editor)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    # And what an editor sees is not stored for anonymous visitors.
    client.logout()
    client.cookies.clear()
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"


def test_post_is_never_cached(client, page_cache):
    client.get("/test/simple/")
    assert "X-Page-Cache" not in client.post("/test/simple/")


def test_disabled_when_timeout_is_zero(client, page_cache):
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get("/test/simple/")
        assert "X-Page-Cache" not in client.get("/test/simple/")


def test_purge_survives_a_lost_generation_key(client, page_cache):
    client.get("/test/simple/")
    page_cache.delete(GENERATION_KEY)
    purge_all()
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"


def test_a_broken_cache_never_breaks_the_site(client, page_cache, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(page_cache, "get", down)
    monkeypatch.setattr(page_cache, "get_many", down)
    monkeypatch.setattr(page_cache, "incr", down)
    purge_all()
    response = client.get("/test/simple/")
    assert response.status_code == 200
    assert response.content == b"rendu "


def test_site_settings_created_on_first_view_do_not_purge(client, home_page, page_cache):
    """Wagtail creates the site settings with their defaults on the first page view: nothing shown changes.

    That first view's page stays in the cache; an editor saving the settings later does purge it.
    """
    from wagtail.contrib.settings.registry import registry
    from wagtail.models import Site

    from home.models import SiteSettings

    site = Site.objects.get(is_default_site=True)
    assert SiteSettings in registry
    assert not SiteSettings.objects.filter(site=site).exists()
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert SiteSettings.objects.filter(site=site).exists()  # created while building that page
    assert client.get("/")["X-Page-Cache"] == "hit"
    SiteSettings.for_site(site).save()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_page_built_before_a_purge_is_never_served_after_it(client, page_cache, monkeypatch):
    """A slow page that read the old generation, then a purge, then the store: the entry is stale."""
    from config import cache as page_cache_module

    real_lookup = page_cache_module.lookup

    def lookup_then_purge(key):
        found = real_lookup(key)
        purge_all()  # e.g. a registration commits while this page is being built
        return found

    monkeypatch.setattr(page_cache_module, "lookup", lookup_then_purge)
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"
    monkeypatch.setattr(page_cache_module, "lookup", real_lookup)
    assert client.get("/test/simple/")["X-Page-Cache"] == "miss"
    assert client.get("/test/simple/")["X-Page-Cache"] == "hit"
