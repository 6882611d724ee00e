"""Wagtail's routing without its queries between two publications.

Every page Wagtail serves first finds the site (one query), then walks the tree
from the site's root, one child and one ``specific`` query per level of the
URL, then reads the page's ancestors and their view restrictions (two more):
seven or eight queries before the page's own work, on every built page.

None of that changes unless something is published, moved or saved, which is
exactly when the page cache's *generation* moves (``config/cache.py``). So each
worker remembers, for the current generation, which site and which page
(model and primary key) answered a host and path, and which part of the path
the page routes itself (a ``RoutablePageMixin`` sub-URL such as the agenda's
month view). The next request for that path gets them through the two caches
Wagtail itself reads on the request (``request._wagtail_site`` and
``request._wagtail_route_for_request``): the page is read fresh, in one query,
and routed by its own ``route()`` (so an unpublished page is a 404 at once,
and a sub-URL is resolved and bound as Wagtail does).

View restrictions (private pages) are checked as usual, except when the site
has none at all, which the memo knows once per generation: adding or removing a
restriction moves the generation (``config/cache.py``).

The memo is per process, holds only the current generation (a new one starts
empty) and at most ``MAX_ROUTES`` paths; a cache outage only means the usual
queries. Tests: ``tests/production/test_route_memo.py``.
"""

import copy
import logging
from collections import OrderedDict

from django.http import Http404
from wagtail.models import PageViewRestriction, Site

from config.cache import current_generation
from core import generation_memo
from core.compiled_queries import CompiledQuery

logger = logging.getLogger(__name__)

MAX_ROUTES = 2000
# Where staff edit content: their POSTs never read the facts of a generation (see ``public_post_generation``).
EDITING_PATHS = ("/admin/", "/django-admin/")


class RouteMemo:
    """The routes of one worker for one generation (see the module docstring)."""

    def __init__(self):
        self.generation = None
        self.routes = OrderedDict()
        self.has_restrictions = None
        self.root_paths = None

    def start(self, generation):
        if generation != self.generation:
            self.generation = generation
            self.routes = OrderedDict()
            self.has_restrictions = None
            self.root_paths = None

    def get(self, key):
        found = self.routes.get(key)
        if found is not None:
            self.routes.move_to_end(key)
        return found

    def put(self, key, route):
        self.routes[key] = route
        if len(self.routes) > MAX_ROUTES:
            self.routes.popitem(last=False)

    def site_root_paths(self):
        """Wagtail's list of the sites' root paths (page URLs are built from it), read once per generation."""
        if self.root_paths is None:
            self.root_paths = Site.get_site_root_paths()
        return self.root_paths

    def site_has_restrictions(self):
        if self.has_restrictions is None:
            self.has_restrictions = PageViewRestriction.objects.exists()
        return self.has_restrictions


memo = RouteMemo()


def request_key(request):
    return (request._get_raw_host(), request.get_port(), request.path_info)


def no_view_restrictions():
    return PageViewRestriction.objects.none()


def remember(request, page):
    """``before_serve_page``: note the site and page Wagtail's routing found for this request's path."""
    key = getattr(request, "_route_memo_key", None)
    site = getattr(request, "_wagtail_site", None)
    if key is None or site is None or getattr(request, "_route_memo_hit", False):
        return
    if memo.generation != request._route_memo_generation:  # a publication happened while this page was built
        return
    components = [part for part in request.path_info.split("/") if part]
    # Each level below the site's root takes one component; the rest is the page's own sub-URL.
    own_path = components[page.depth - site.root_page.depth :]
    memo.put(key, (copy.copy(site), type(page), page.pk, own_path))
    if not memo.site_has_restrictions():
        page.get_view_restrictions = no_view_restrictions


def recall(request):
    """Give Wagtail the site and route of this path when the memo has them (one query: the page itself)."""
    route = memo.get(request._route_memo_key)
    if route is None:
        return
    site, model, pk, own_path = route
    page = page_query(model).first(pk)
    if page is None:  # deleted meanwhile: Wagtail routes it as usual
        return
    if not memo.site_has_restrictions():
        # Wagtail's check walks the ancestors and reads their restrictions: there are none on this site.
        page.get_view_restrictions = no_view_restrictions
    request._wagtail_site = copy.copy(site)
    # Every URL the page builds reads the sites' root paths (a cache round trip each, on the request or the page).
    request._wagtail_cached_site_root_paths = page._wagtail_cached_site_root_paths = memo.site_root_paths()
    request._route_memo_hit = True
    try:
        request._wagtail_route_for_request = page.route(request, own_path)
    except Http404:
        request._wagtail_route_for_request = None


_PAGE_QUERIES = {}


def page_query(model):
    """The query reading a routed page of this type by its key, its SQL built once (``core.compiled_queries``).

    A page type may name what its page always shows (``route_select_related``), read in the same query.
    """
    if model not in _PAGE_QUERIES:
        related = getattr(model, "route_select_related", ())
        _PAGE_QUERIES[model] = CompiledQuery(lambda pk: model.objects.select_related(*related).filter(pk=pk), int)
    return _PAGE_QUERIES[model]


class RouteMemoMiddleware:
    """Hands Wagtail the remembered route of a GET (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        generation = None
        if request.method in ("GET", "HEAD"):
            try:
                generation = getattr(request, "page_cache_generation", None)
                if generation is None:
                    generation = current_generation()
                if generation is None:  # the cache is down: nothing tells this worker of publications
                    return self.get_response(request)
                request.page_cache_generation = generation
                memo.start(generation)
                request._route_memo_key = request_key(request)
                request._route_memo_generation = generation
                recall(request)
            except Exception:  # the cache is down, or a bad host: Wagtail routes as usual
                logger.warning("Route memo unavailable", exc_info=True)
                generation = None
                for name in ("_route_memo_key", "_route_memo_hit", "_wagtail_site", "_wagtail_route_for_request"):
                    if hasattr(request, name):
                        delattr(request, name)
        elif request.method == "POST" and not request.path_info.startswith(EDITING_PATHS):
            generation = self.public_post_generation()
        # The facts pages read once per generation (site settings, private sections: core/generation_memo.py).
        with generation_memo.serving(generation):
            return self.get_response(request)

    @staticmethod
    def public_post_generation():
        """The generation a public form's POST may read facts of (no route memo: POSTs are routed as usual).

        A visitor's POST (a registration, a cancellation, the contact form) changes people and seats, never
        what the facts describe, so it reads them like the GET before it. The admin's POSTs publish and save:
        they read everything afresh, since the generation they started with may end during the request.
        """
        try:
            return current_generation()
        except Exception:  # the cache is down: the facts are read as before
            logger.warning("Generation unavailable for a POST", exc_info=True)
            return None
