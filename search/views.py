"""Site search: every live public page, with the editors' promoted results first.

Results are grouped by kind, upcoming events first; each shows an excerpt with the
words found marked; a search that finds nothing suggests close words from the
site's own titles and the searches that did find something.
"""

import difflib
import re

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from core.text import clean_line
from events.models import EventPage, upcoming_q
from home.models import ArticlePage, MemberPage
from search import french

RESULTS_PER_PAGE = 10
# Results ranked and grouped in memory: more than a visitor ever reads on a site this size.
MAX_RESULTS = 100
QUERY_MAX_LENGTH = 200
# Quotes, brackets and operators mean something to the search engine (SQLite's
# full-text syntax failed on a lone '"'): visitors search for words.
NOT_A_WORD = re.compile(r"[^\w'’-]+")

# Kinds in the order they are shown: what people come for first.
GROUPS = [
    ("upcoming", _("Événements à venir")),
    ("pages", _("Pages")),
    ("members", _("Membres et projets")),
    ("news", _("Actualités")),
    ("past", _("Événements passés")),
]
GROUP_RANK = {key: rank for rank, (key, _label) in enumerate(GROUPS)}
GROUP_LABELS = dict(GROUPS)


def search_terms(value):
    """The words of a visitor's query, one line, at most ``QUERY_MAX_LENGTH`` characters."""
    return clean_line(NOT_A_WORD.sub(" ", clean_line(value)[:QUERY_MAX_LENGTH]))


def search(request):
    search_query = search_terms(request.GET.get("q", ""))
    results, promotions, suggestions = [], [], []
    if search_query:
        query = french.search_query(search_query)
        if query is not None:
            found = Page.objects.live().public().specific().search(query)[:MAX_RESULTS]
            results = grouped(list(found), search_query)
        logged = Query.get(search_query)
        logged.add_hit()
        promotions = _visible_promotions(logged)
        if not results:
            suggestions = _suggestions(search_query)
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": search_query,
            "results": page_obj,
            "promotions": promotions,
            "suggestions": suggestions,
        },
    )


def grouped(pages, search_query):
    """The results as (page, group key, group label, excerpt), by kind and, within a kind, by relevance."""
    event_ids = [page.pk for page in pages if isinstance(page, EventPage)]
    upcoming = set(EventPage.objects.filter(pk__in=event_ids).filter(upcoming_q()).values_list("pk", flat=True))
    rows = []
    for page in pages:
        if isinstance(page, EventPage):
            key = "upcoming" if page.pk in upcoming else "past"
        elif isinstance(page, ArticlePage):
            key = "news"
        elif isinstance(page, MemberPage):
            key = "members"
        else:
            key = "pages"
        rows.append(
            {
                "page": page,
                "group": key,
                "group_label": GROUP_LABELS[key],
                "excerpt": french.highlight(excerpt_text(page), search_query),
            }
        )
    return sorted(rows, key=lambda row: GROUP_RANK[row["group"]])


def excerpt_text(page):
    """The plain text an excerpt is cut from: the page's own summary fields, first one that mentions a word."""
    texts = []
    for name in ("search_description", "summary", "introduction", "tagline", "description"):
        value = getattr(page, name, "")
        if value and isinstance(value, str):
            texts.append(re.sub(r"<[^>]+>", " ", value))
    return " ".join(" ".join(texts).split())


def _suggestions(search_query):
    """Close words from the titles of live public pages ("cooperatoin" → "coopération"), then popular searches."""
    vocabulary = {}
    for title in Page.objects.live().public().filter(depth__gt=1).values_list("title", flat=True):
        for word in french.WORD.findall(title):
            if len(word) > 3:
                vocabulary.setdefault(french.fold(word), word.lower())
    close = []
    for word in french.words(search_query):
        for match in difflib.get_close_matches(french.fold(word), vocabulary, n=2, cutoff=0.75):
            if vocabulary[match] not in close and french.fold(word) != match:
                close.append(vocabulary[match])
    return close[:5]


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
