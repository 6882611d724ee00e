"""Site search: every live public page, with the editors' promoted results first."""

import re

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from core.text import clean_line

RESULTS_PER_PAGE = 10
QUERY_MAX_LENGTH = 200
# Quotes, brackets and operators mean something to the search engine (SQLite's
# full-text syntax failed on a lone '"'): visitors search for words.
NOT_A_WORD = re.compile(r"[^\w'’-]+")


def search_terms(value):
    """The words of a visitor's query, one line, at most ``QUERY_MAX_LENGTH`` characters."""
    return clean_line(NOT_A_WORD.sub(" ", clean_line(value)[:QUERY_MAX_LENGTH]))


def search(request):
    search_query = search_terms(request.GET.get("q", ""))
    results = Page.objects.none()
    promotions = []
    if search_query:
        results = Page.objects.live().public().specific().search(search_query)
        query = Query.get(search_query)
        query.add_hit()
        promotions = _visible_promotions(query)
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": search_query, "results": page_obj, "promotions": promotions},
    )


def _visible_promotions(query):
    """External promotions always show; a promoted page only while it is live and public, like the results.

    A page under a view restriction (password, login, groups) or unpublished
    is left out: promoting it must not reveal its title and description.
    """
    picks = list(query.editors_picks.select_related("page").order_by("sort_order"))
    page_ids = [pick.page_id for pick in picks if pick.page_id]
    visible = (
        set(Page.objects.live().public().filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    )
    return [pick for pick in picks if pick.page_id is None or pick.page_id in visible]
