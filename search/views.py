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
        promotions = [
            pick for pick in query.editors_picks.select_related("page").order_by("sort_order") if _is_visible(pick)
        ]
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": search_query, "results": page_obj, "promotions": promotions},
    )


def _is_visible(pick):
    """External promotions always show; page promotions only while the page is live."""
    return pick.page is None or pick.page.live
