"""Query budgets of the public pages, on the demo content, uncached (the page cache is off in tests).

A ceiling per page (today's count plus a little headroom for small features), and
for listings a check that adding items does not add queries (no N+1).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from home.models import ArticlePage, NewsIndexPage, Partner, PartnerIndexPage
from registrations.models import RegistrationMode

# Second view: the route is remembered, the published fragments and the agenda's listing kept, the site
# settings and private sections read once per generation (config/routing.py, layout_cache, {% keptlisting %},
# core/generation_memo.py), an article's body kept like the layout. Counts on 2026-12-07 (SQLite): home 1,
# agenda 2, month 1, event 2, news 7, article 1, partners 4, search 12; before and after on PostgreSQL in
# docs/performance.md.
BUDGETS = {
    "home": 3,
    "agenda": 4,
    "month": 3,
    "event": 4,
    "news": 9,
    "article": 3,
    "partners": 6,
    "search": 14,
}


@pytest.fixture
def demo(db):
    call_command("load_demo")


# The month the listing test's copied events fall in (three days from now).
COPIES_IN = timezone.timedelta(days=3)


def page_urls():
    event = EventPage.objects.live().filter(capacity__isnull=False).order_by("start").first()
    agenda = EventIndexPage.objects.live().first()
    month = timezone.localdate(timezone.now() + COPIES_IN)
    return {
        "home": "/",
        "agenda": agenda.url,
        "month": f"{agenda.url}mois/{month.year}/{month.month}/",
        "event": event.url,
        "news": NewsIndexPage.objects.live().first().url,
        "article": ArticlePage.objects.live().first().url,
        "partners": PartnerIndexPage.objects.live().first().url,
        "search": "/recherche/?q=atelier",
    }


def count_queries(client, url):
    client.get(url)  # first view: renditions, site settings, template caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_pages_stay_within_their_query_budgets(client, demo):
    counts = {name: count_queries(client, url) for name, url in page_urls().items()}
    over = {name: f"{counts[name]} > {budget}" for name, budget in BUDGETS.items() if counts[name] > budget}
    assert over == {}


def copy_pages(model, count, original=None, **extra):
    original = original or model.objects.live().first()
    for number in range(count):
        original.copy(
            update_attrs={"slug": f"{original.slug}-copie-{number}", "title": f"{original.title} {number}", **extra},
            keep_live=True,
        )


def test_listing_queries_do_not_grow_with_content(client, demo):
    """Twelve more events, eight more articles, ten more partners: not one more query."""
    urls = page_urls()
    listings = ("home", "agenda", "month", "news", "partners")
    before = {name: count_queries(client, urls[name]) for name in listings}

    # Copies of a bookable event: their cards carry seats badges, counted in one query for all.
    bookable = EventPage.objects.live().filter(capacity__isnull=False, registration_mode=RegistrationMode.OPEN).first()
    copy_pages(EventPage, 12, original=bookable, start=timezone.now() + COPIES_IN, end=None)
    copy_pages(ArticlePage, 8)
    template = Partner.objects.exclude(logo=None).first() or Partner.objects.first()
    for number in range(10):
        Partner.objects.create(
            name=f"Partenaire {number}", logo=template.logo, category=template.category, website="https://example.org"
        )

    assert {name: count_queries(client, urls[name]) for name in listings} == before
