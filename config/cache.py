"""Page cache for anonymous visitors, purged whenever what a page shows may have changed.

Design (the simplest one that is correct):

- ``AnonymousPageCacheMiddleware`` sits just after WhiteNoise. For a GET from a
  visitor without a session cookie it looks up ``host + path + query`` in the
  shared cache (Redis in production) and, on a hit, answers without touching
  the database. On a miss the page is built as usual and stored only if it is
  safe to share (see ``is_shareable``): status 200, no cookie set, no CSRF token
  used (so never a page with a form), no ``Cache-Control: private/no-cache/no-store``,
  not an admin, health or registration URL.
- Purging is a *generation* number kept in the same cache and stored with every
  entry; an entry built under an older generation is a miss. The generation and
  the page are read together (one ``get_many``: one Redis round trip), and a
  page built while a purge happened keeps the generation it started under, so
  it is never served afterwards. Publishing, unpublishing, moving or deleting a
  page, saving a snippet or a site setting, and
  ``registrations.signals.availability_changed`` (seats taken or freed) bump
  it, so the very next request of every page is rebuilt. Per-URL purging
  would be finer, but seats-left figures and menus appear on several pages
  (event, agenda, home); a global purge can never leave one of them stale,
  and edits are rare compared with visits. Old entries are overwritten by the
  next visit or expire (``PAGE_CACHE_SECONDS``).
- Because the generation lives in the shared cache, every gunicorn worker and
  every app server sees a purge at once. With a per-process cache (no Redis)
  production turns the page cache off (see production settings).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from config.cache_backend import cache_recovered
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


def purge_all(**kwargs):
    """Invalidate every cached page (signal receiver: accepts and ignores the signal's arguments)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # key missing (evicted or never set): a fresh clock value is newer than any before
        cache.set(GENERATION_KEY, new_generation(), timeout=None)
    except Exception:  # the cache being down must never break publishing or registering
        logger.exception("Page cache purge failed")


def cache_key(request):
    location = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:page:{hashlib.sha256(location.encode()).hexdigest()}"


def lookup(key):
    """(generation, entry or None): the entry only if it was built under the current generation."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return current_generation(), None
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return generation, entry
    return generation, None


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
            generation, entry = lookup(key)
        except Exception:  # DisallowedHost, or the cache is down: serve without it
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return self.rebuild(entry)
        response = self.get_response(request)
        if is_shareable(request, response):
            try:
                cache.set(key, self.freeze(generation, response), timeout)
            except Exception:
                logger.warning("Page cache store failed", exc_info=True)
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def freeze(generation, response):
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "set-cookie"]
        return (generation, response.status_code, headers, response.content)

    @staticmethod
    def rebuild(entry):
        _, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HIT_HEADER] = "hit"
        return response


def purge_on_content_change(sender, created=False, **kwargs):
    """post_save/post_delete receiver: purge only for snippets, site settings and sites.

    The lists are read at save time, not at start-up, because snippets registered
    from wagtail_hooks.py are only known once the admin has loaded its hooks.
    A site setting *created* holds only defaults: Wagtail creates it on the first
    page view, and purging then would empty the cache for nothing.
    """
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.models import Site
    from wagtail.snippets.models import get_snippet_models

    if sender in settings_registry:
        if not created:
            purge_all()
    elif sender is Site or sender in get_snippet_models():
        purge_all()


def connect_purge_signals():
    """Wire every change that alters what a public page shows to ``purge_all``."""
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
        (availability_changed, "availability_changed"),
        # Purges sent while Redis was unreachable were lost: whatever it still holds may be stale.
        (cache_recovered, "cache_recovered"),
    ):
        signal.connect(purge_all, dispatch_uid=f"{uid}.{name}")
    # Deleting a page sends post_delete for Page as well as for its specific class.
    post_delete.connect(purge_all, sender=Page, dispatch_uid=f"{uid}.page_deleted")
    post_save.connect(purge_on_content_change, dispatch_uid=f"{uid}.content_saved")
    post_delete.connect(purge_on_content_change, dispatch_uid=f"{uid}.content_deleted")
