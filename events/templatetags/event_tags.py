"""Template helpers of the agenda: French dates, JSON-LD, calendar links, upcoming events for other pages.

Pages of lower layers (the home page) show events through these tags rather
than by importing the agenda's models.
"""

import logging

from django import template
from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core import generation_memo
from core.dates import format_day, format_event_dates, format_short_month, format_time, to_local
from core.page_tags import mark_events_shown
from events.jsonld import event_jsonld, jsonld_script, published_parts
from events.models import EventIndexPage, EventPage
from home.images import CARD_SPECS, with_renditions

logger = logging.getLogger(__name__)
register = template.Library()

# As the layout fragments (home/templatetags/layout_cache.py): the generation in the key keeps them fresh.
PUBLISHED_PARTS_SECONDS = 3600


@register.filter
def event_dates(page):
    """ "jeudi 3 juillet 2025, 9 h 30 – 17 h" for an event page; a listed series' next date."""
    if hasattr(page, "listing_dates_display"):
        return page.listing_dates_display
    return format_event_dates(page.start, page.end, page.all_day)


@register.filter
def card_dates(page):
    """What an agenda card says of when: a course's first session (its count beside it), else the event's dates."""
    if page.is_course and getattr(page, "session_count", None):
        return format_event_dates(page.start, page.first_session_end, page.all_day)
    return event_dates(page)


@register.filter
def day_label(day):
    """ "mardi 1er décembre": a day of the month view."""
    return format_day(day, with_year=False)


@register.filter
def short_month(value):
    """ "déc.": the month of an agenda card's date badge."""
    return format_short_month(value)


@register.filter
def local_time(value):
    """ "14 h": the time of a date of a series in the month view (Paris time)."""
    return format_time(to_local(value))


@register.filter
def local_day(value):
    """The day of the month of a moment, in Paris time (the date badge)."""
    return to_local(value).day


@register.simple_tag(takes_context=True)
def event_jsonld_script(context, page, seats_remaining=None, occurrence_seats=None):
    """The page's schema.org ``Event`` as a JSON-LD script (seats counted by the registrations app).

    ``occurrence_seats``: for a series, {date id: free seats}, counted by the registrations app.
    The organisers and the picture are kept per generation of the page cache
    (``layout_generation``, moved by every publication), outside previews.
    """
    request = context.get("request")
    parts = kept_published_parts(page, request, context.get("layout_generation"))
    return jsonld_script(
        event_jsonld(page, request, seats_remaining=seats_remaining, occurrence_seats=occurrence_seats, parts=parts)
    )


def kept_published_parts(page, request, generation):
    """``published_parts`` from the cache when this generation already built them; None in previews."""
    if request is None or getattr(request, "is_preview", False) or generation is None or not page.pk:
        return None
    try:
        key = f"event-jsonld:{generation}:{request.get_host()}:{page.pk}"
        parts = cache.get(key)
        if parts is None:
            parts = published_parts(page, request)
            cache.set(key, parts, PUBLISHED_PARTS_SECONDS)
        return parts
    except Exception:  # a cache that raises costs the queries, never the page
        logger.warning("JSON-LD parts cache unavailable", exc_info=True)
        return None


@register.simple_tag(takes_context=True)
def upcoming_events(context, limit=3):
    """The next public events, soonest first, with what a card shows (same rule as the agenda).

    The cards' renditions come with them (``home.images``): one query, no cache round trip per picture.
    The request is marked as showing them: a seat change of one of them purges the page. Read when first
    used, so that a kept listing (``{% keptlisting %}``) does not read them at all.
    """

    def read():
        events = EventPage.objects.live().public().upcoming().with_next_date().select_related("venue", "category")
        events = list(with_renditions(events, "image", CARD_SPECS).order_by("listing_start", "pk")[:limit])
        mark_events_shown(context.get("request"), events)
        return events

    return SimpleLazyObject(read)


@register.simple_tag
def agenda_page():
    """The public agenda page, or None (links such as « Voir l'agenda »), read once per generation."""
    return generation_memo.remember("agenda-page", lambda: EventIndexPage.objects.live().public().first())


@register.simple_tag(takes_context=True)
def calendar_feed_urls(context, category=None):
    """The https:// and webcal:// addresses of the agenda feed (or of a category's)."""
    request = context["request"]
    path = reverse("events:category_feed", args=[category.slug]) if category else reverse("events:feed")
    url = request.build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}
