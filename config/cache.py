"""Page cache for anonymous visitors, purged whenever what a page shows may have changed.

Design:

- ``AnonymousPageCacheMiddleware`` sits just after WhiteNoise. For a GET from a
  visitor without a session cookie it looks up ``host + path + query`` in the
  shared cache (Redis in production) and, on a hit, answers without touching
  the database. On a miss the page is built as usual and stored only if it is
  safe to share (see ``is_shareable``): status 200, no cookie set, no CSRF token
  used (so never a page with a form), no ``Cache-Control: private/no-cache/no-store``,
  not an admin, health or registration URL.
- Two kinds of purge, both kept in the same cache as the pages:

  * a global *generation* number stored with every entry: an entry built under
    an older generation is a miss. Publishing, unpublishing, moving or deleting
    a page, saving a snippet, a site setting, an image or a view restriction,
    and Redis coming back bump it: titles, menus and footers appear on every
    page, so every page is rebuilt (and so are the cached fragments and the
    remembered routes keyed by it: ``home/templatetags/layout_cache.py``,
    ``config/routing.py``);
  * a *tag* per event (``core.page_tags``): the code that shows an event (its
    seats-left tags, the agenda's listing, the home page's upcoming events, the
    calendar feeds) marks the request, and the entry keeps, for each tag, the
    counter the tag had. ``registrations.signals.availability_changed`` (seats
    taken or freed) increments the event's counter, so only the pages that
    show that event are rebuilt; an article or another event's page stays
    cached during a registration rush.

- The generation, the tag sequence and the page are read together (one
  ``get_many``: one Redis round trip); a page with tags costs a second one for
  its tags' counters. A page built while a purge happened is never served
  after it: the generation it stores is the one read before building; and a
  tagged page is stored only if the tag *sequence* (incremented by every tag
  purge before the tag itself) did not move while it was built, so the tag
  counters read after building are those the page was built under. A
  missing counter (never purged, or evicted) is created from the clock, so
  an entry is valid only while every counter it recorded is still there and
  equal: a lost key means misses, never a stale page.
- Because every number lives in the shared cache, every gunicorn worker and
  every app server sees a purge at once. With a per-process cache (no Redis)
  production turns the page cache off (see production settings). Old entries
  are overwritten by the next visit or expire (``PAGE_CACHE_SECONDS``).
"""

import contextlib
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from config.cache_backend import cache_recovered
from core.page_tags import SEQUENCE_KEY, event_tag, read_tag_counters, tag_key, tags_shown
from registrations.signals import availability_changed

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
HIT_HEADER = "X-Page-Cache"
UNCACHEABLE_CACHE_CONTROL = ("private", "no-cache", "no-store")


def cache_timeout():
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def new_generation():
    """Started from the clock, so that a lost key never makes old entries current again."""
    return time.time_ns()


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _increment(key):
    """Bump a counter; a missing one restarts from the clock (newer than any value it had)."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, new_generation(), timeout=None)


def purge_all(**kwargs):
    """Invalidate every cached page (signal receiver: accepts and ignores the signal's arguments).

    Inside a transaction (a publication, a saved snippet), the generation moves
    now and again once it commits: a page or a worker's fact read between the
    two saw the new generation with the rows of before, and must not outlive the commit.
    """
    _bump_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump_generation)


def _bump_generation():
    try:
        _increment(GENERATION_KEY)
    except Exception:  # the cache being down must never break publishing or registering
        logger.exception("Page cache purge failed")


def purge_tags(tags):
    """Invalidate the cached pages that show any of these tags, and only them.

    The sequence moves first, so that a page being built meanwhile is not stored
    with counters read after the change (see the module docstring). A tag with
    no counter needs nothing more: no entry can be valid without it.
    """
    try:
        _increment(SEQUENCE_KEY)
        for tag in tags:
            with contextlib.suppress(ValueError):
                cache.incr(tag_key(tag))
    except Exception:  # the cache being down must never break registering
        logger.exception("Page cache purge failed")


def purge_event(event=None, **kwargs):
    """``availability_changed`` receiver: the pages showing this event; every page when none is named."""
    if event is None:
        purge_all()
    else:
        purge_tags([event_tag(event.pk)])


def cache_key(request):
    location = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:page:{hashlib.sha256(location.encode()).hexdigest()}"


def lookup(key):
    """((generation, tag sequence), entry or None): the entry only if none of its purges happened since."""
    found = cache.get_many([GENERATION_KEY, SEQUENCE_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    sequence = found.get(SEQUENCE_KEY)
    if sequence is None:  # created before building, so that any purge from now on moves it
        cache.add(SEQUENCE_KEY, new_generation(), timeout=None)
        sequence = cache.get(SEQUENCE_KEY)
    entry = found.get(key)
    if entry is None or entry[0] != generation:
        return (generation, sequence), None
    counters = entry[1]
    if counters:
        current = cache.get_many([tag_key(tag) for tag in counters])
        if any(current.get(tag_key(tag)) != value for tag, value in counters.items()):
            return (generation, sequence), None
    return (generation, sequence), entry


def tag_counters(tags, sequence):
    """{tag: counter} to store with a page built since ``sequence`` was read, or None if it must not be stored.

    None when a tag purge started while the page was built (the sequence moved):
    the page may show the seats from before it; None too when a counter could not
    be kept. The read itself is ``core.page_tags.read_tag_counters``.
    """
    if not tags:
        return {}
    if sequence is None:
        return None
    counters, current = read_tag_counters(tags)
    if current != sequence or any(tag not in counters for tag in tags):
        return None
    return counters


def is_cacheable_request(request):
    """Only anonymous GETs: a session cookie may mean a logged-in editor or pending messages."""
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    excluded = tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ()))
    return not request.path.startswith(excluded)


def is_shareable(request, response):
    """May this response be served to another visitor? Any doubt means no."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The CSRF middleware marks requests whose page used {% csrf_token %}: such a page holds a form.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return b"csrfmiddlewaretoken" not in response.content


class AnonymousPageCacheMiddleware:
    """Serves and stores shareable pages for anonymous visitors (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = cache_timeout()
        if timeout <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        try:
            key = cache_key(request)
            (generation, sequence), entry = lookup(key)
            request.page_cache_generation = generation  # the layout fragments' key (config/context_processors.py)
        except Exception:  # DisallowedHost, or the cache is down: serve without it
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return self.rebuild(entry)
        response = self.get_response(request)
        if is_shareable(request, response):
            try:
                counters = tag_counters(tags_shown(request), sequence)
                if counters is not None:
                    cache.set(key, self.freeze(generation, counters, response), timeout)
            except Exception:
                logger.warning("Page cache store failed", exc_info=True)
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def freeze(generation, counters, response):
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "set-cookie"]
        return (generation, counters, response.status_code, headers, response.content)

    @staticmethod
    def rebuild(entry):
        _, _, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HIT_HEADER] = "hit"
        return response


def purge_on_content_change(sender, created=False, **kwargs):
    """post_save/post_delete receiver: purge only for snippets, site settings, sites, view restrictions, images.

    The lists are read at save time, not at start-up, because snippets registered
    from wagtail_hooks.py are only known once the admin has loaded its hooks.
    A site setting *created* holds only defaults: Wagtail creates it on the first
    page view, and purging then would empty the cache for nothing.
    """
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.snippets.models import get_snippet_models

    if sender in settings_registry:
        if not created:
            purge_all()
    elif sender in (Site, PageViewRestriction, get_image_model()) or sender in get_snippet_models():
        # A page made private must leave the cache at once (config/routing.py also reads this);
        # an image's new focal point or description shows in every cached fragment that pictures it.
        purge_all()


def connect_purge_signals():
    """Wire every change that alters what a public page shows to ``purge_all`` (seat changes to ``purge_event``)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    )

    uid = "config.cache.purge"
    for signal, name in (
        (page_published, "page_published"),
        (page_unpublished, "page_unpublished"),
        (post_page_move, "page_moved"),
        (page_slug_changed, "page_slug_changed"),
        (published, "published"),
        (unpublished, "unpublished"),
        # Purges sent while Redis was unreachable were lost: whatever it still holds may be stale.
        (cache_recovered, "cache_recovered"),
    ):
        signal.connect(purge_all, dispatch_uid=f"{uid}.{name}")
    # Seats taken or freed: only the pages that show that event (core.page_tags).
    availability_changed.connect(purge_event, dispatch_uid=f"{uid}.availability_changed")
    # Deleting a page sends post_delete for Page as well as for its specific class.
    post_delete.connect(purge_all, sender=Page, dispatch_uid=f"{uid}.page_deleted")
    post_save.connect(purge_on_content_change, dispatch_uid=f"{uid}.content_saved")
    post_delete.connect(purge_on_content_change, dispatch_uid=f"{uid}.content_deleted")
