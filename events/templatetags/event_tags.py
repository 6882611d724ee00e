"""Template helpers of the agenda: French dates, JSON-LD, calendar links, upcoming events for other pages.

Pages of lower layers (the home page) show events through these tags rather
than by importing the agenda's models.
"""

from django import template
from django.urls import reverse

from core.dates import format_day, format_event_dates, format_short_month, format_time, to_local
from core.page_tags import mark_events_shown
from events.jsonld import event_jsonld, jsonld_script
from events.models import EventIndexPage, EventPage

register = template.Library()


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
    """
    return jsonld_script(
        event_jsonld(page, context.get("request"), seats_remaining=seats_remaining, occurrence_seats=occurrence_seats)
    )


@register.simple_tag(takes_context=True)
def upcoming_events(context, limit=3):
    """The next public events, soonest first, with what a card shows (same rule as the agenda).

    Images come through the rendition cache, as the home page's cards use their own sizes.
    The request is marked as showing them: a seat change of one of them purges the page.
    """
    events = list(
        EventPage.objects.live()
        .public()
        .upcoming()
        .with_next_date()
        .select_related("image", "venue", "category")
        .order_by("listing_start", "pk")[:limit]
    )
    mark_events_shown(context.get("request"), events)
    return events


@register.simple_tag
def agenda_page():
    """The public agenda page, or None (links such as « Voir l'agenda »)."""
    return EventIndexPage.objects.live().public().first()


@register.simple_tag(takes_context=True)
def calendar_feed_urls(context, category=None):
    """The https:// and webcal:// addresses of the agenda feed (or of a category's)."""
    request = context["request"]
    path = reverse("events:category_feed", args=[category.slug]) if category else reverse("events:feed")
    url = request.build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}
