"""Keyed purges: a seat change rebuilds only the pages that show that event, on local memory and on Redis.

The ``X-Page-Cache`` header says whether a response came from the cache ("hit")
or was built ("miss"); the figures are read in the page itself.
"""

import socket

import pytest
from django.core.cache import cache, caches

from config import cache as page_cache_module
from config.cache import SEQUENCE_KEY, tag_key
from core.page_tags import event_tag
from registrations import services
from tests.events.factories import days_from_now, make_agenda
from tests.home.factories import ArticlePageFactory, NewsIndexPageFactory
from tests.registrations.factories import make_event, person
from tests.workers import redis_url

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


def reachable(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings, production_module):
    """The page cache on, over the test settings' local memory or over Redis (this worker's DB) as in production."""
    if request.param == "redis":
        if not reachable(6379):
            pytest.skip("needs Redis on 127.0.0.1:6379")
        settings.CACHES = production_module(REDIS_URL=redis_url()).CACHES
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def site(home_page):
    """Two bookable events, an article, and the pages that list events."""
    watched = make_event(home_page, title="Atelier surveillé", slug="surveille", capacity=5)
    other = make_event(home_page, title="Autre atelier", slug="autre", capacity=7)
    news = NewsIndexPageFactory(parent=home_page)
    article = ArticlePageFactory(parent=news, title="Un article sans événement")
    return {
        "event": watched,
        "other": other,
        "urls": {
            "event": watched.url,
            "other event": other.url,
            "agenda": make_agenda(home_page).url,
            "home": "/",
            "feed": "/calendrier/agenda.ics",
            "article": article.url,
        },
    }


def state(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"], response.content.decode()


def warm(client, urls):
    """Visit each page (built, or already cached), then check that it is now served from the cache."""
    for url in urls.values():
        state(client, url)
        assert state(client, url)[0] == "hit", url


def book(event, django_capture_on_commit_callbacks, n=1):
    """A registration as the site takes it: the purge is sent once it commits."""
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event, **person(n))


def test_a_registration_rebuilds_only_the_pages_that_show_the_event(
    client, shared_cache, site, django_capture_on_commit_callbacks
):
    urls = site["urls"]
    assert "5 places restantes" in state(client, urls["event"])[1]
    warm(client, urls)

    book(site["event"], django_capture_on_commit_callbacks)

    after = {name: state(client, url) for name, url in urls.items()}
    assert after["event"][0] == "miss"
    assert "4 places restantes" in after["event"][1]
    assert '"remainingAttendeeCapacity": 4' in after["event"][1]
    for name in ("agenda", "home", "feed"):
        assert after[name][0] == "miss", name
    assert "Atelier surveillé" in after["agenda"][1]
    assert "Atelier surveillé" in after["home"][1]
    # Pages that do not show the event keep being served from the cache.
    assert after["article"][0] == "hit"
    assert after["other event"][0] == "hit"
    assert "7 places restantes" in after["other event"][1]
    # And the rebuilt pages are cached again for the next visitor.
    assert all(state(client, url)[0] == "hit" for url in urls.values())


def test_a_cancellation_shows_the_freed_seat_on_the_next_request(
    client, shared_cache, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(site["event"], **person(1))
    warm(client, {"event": site["urls"]["event"], "article": site["urls"]["article"]})
    assert "4 places restantes" in state(client, site["urls"]["event"])[1]

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration)

    cache_state, html = state(client, site["urls"]["event"])
    assert (cache_state, "5 places restantes" in html) == ("miss", True)
    assert state(client, site["urls"]["article"])[0] == "hit"


def test_the_home_page_is_kept_when_it_does_not_list_the_event(
    client, shared_cache, home_page, django_capture_on_commit_callbacks
):
    """The home page lists the next three events: a later one's seats do not concern it."""
    for n in range(3):
        make_event(home_page, title=f"Bientôt {n}", slug=f"bientot-{n}")
    later = make_event(home_page, title="Plus tard", slug="plus-tard", start=days_from_now(60))
    warm(client, {"home": "/", "later": later.url})
    assert "Plus tard" not in state(client, "/")[1]

    book(later, django_capture_on_commit_callbacks)

    assert state(client, later.url)[0] == "miss"
    assert state(client, "/")[0] == "hit"


def test_publishing_still_purges_every_page(client, shared_cache, site):
    """Titles and menus appear everywhere: an editor's change rebuilds the article too."""
    warm(client, site["urls"])
    site["other"].save_revision().publish()
    assert all(state(client, url)[0] == "miss" for url in site["urls"].values())


def test_a_page_built_before_a_publication_commits_is_not_served_after_it(
    client, shared_cache, site, django_capture_on_commit_callbacks
):
    """Publishing bumps the generation inside its transaction; a visitor served in that window saw the
    old rows under the new generation, so the commit bumps it again and the next visit rebuilds."""
    url = site["urls"]["article"]
    warm(client, {"article": url})
    with django_capture_on_commit_callbacks(execute=True) as committed:
        site["other"].save_revision().publish()
        assert state(client, url)[0] == "miss"  # built in the window, stored under the new generation
        assert state(client, url)[0] == "hit"
    assert committed  # the second bump waited for the commit
    assert state(client, url)[0] == "miss"
    assert state(client, url)[0] == "hit"


def test_a_page_built_while_its_event_changed_is_not_stored(
    client, shared_cache, site, monkeypatch, django_capture_on_commit_callbacks
):
    """A page that read the seats, then a registration commits, then the store: the next visit rebuilds it."""
    real_lookup = page_cache_module.lookup

    def lookup_then_register(key):
        found = real_lookup(key)
        book(site["event"], django_capture_on_commit_callbacks)
        return found

    url = site["urls"]["event"]
    state(client, site["urls"]["article"])
    monkeypatch.setattr(page_cache_module, "lookup", lookup_then_register)
    assert state(client, url)[0] == "miss"
    monkeypatch.setattr(page_cache_module, "lookup", real_lookup)
    cache_state, html = state(client, url)
    assert cache_state == "miss"
    assert "4 places restantes" in html
    assert state(client, url)[0] == "hit"


def test_lost_counters_never_serve_an_old_page(client, shared_cache, site, django_capture_on_commit_callbacks):
    """Redis evicting a tag's counter or the sequence (memory pressure) makes its pages misses, never stale."""
    url = site["urls"]["event"]
    warm(client, {"event": url})
    shared_cache.delete(tag_key(event_tag(site["event"].pk)))
    assert state(client, url)[0] == "miss"  # counter recreated, page stored again
    assert state(client, url)[0] == "hit"

    shared_cache.delete(SEQUENCE_KEY)
    book(site["event"], django_capture_on_commit_callbacks)
    cache_state, html = state(client, url)
    assert (cache_state, "4 places restantes" in html) == ("miss", True)


def test_a_broken_cache_never_breaks_a_registration(client, shared_cache, site, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    backend = caches["default"]  # the object itself: the proxy's handler is reset when the settings are
    monkeypatch.setattr(backend, "incr", down)
    monkeypatch.setattr(backend, "set", down)
    page_cache_module.purge_event(event=site["event"])  # logged, not raised
    assert "5 places restantes" in state(client, site["urls"]["event"])[1]
