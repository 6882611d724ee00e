"""schema.org ``Event`` data for event pages, so that search engines show dates and seats.

A series page is the ``Event`` of the whole series with its upcoming dates as
``subEvent`` (schema.org: "an Event that is part of this event"; each date is
an ``Event`` with its own startDate, endDate, location, eventStatus and seats,
pointing back through ``superEvent`` implicitly). ``eventSchedule`` would only
describe the rule, not the dates moved or cancelled one by one.
"""

import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.dates import event_local_days, to_local

ORGANISATION_NAME = "La Coursive Boutaric"
ORGANISATION_URL = "https://lacoursiveboutaric.fr/"
EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
    "rescheduled": "https://schema.org/EventRescheduled",
}
# The dates of a series a page carries: the next ones (search engines show a few).
MAX_SUB_EVENTS = 30
IMAGE_SPEC = "fill-1200x675|format-jpeg"


def _iso(value, all_day):
    return value.isoformat() if all_day else to_local(value).isoformat()


def _organizers(page):
    organisers = [
        {"@type": "Organization", "name": partner.name, **({"url": partner.website} if partner.website else {})}
        for group in page.partner_groups
        if group["role"] == "organiser"
        for partner in group["partners"]
    ]
    return organisers or [{"@type": "Organization", "name": ORGANISATION_NAME, "url": ORGANISATION_URL}]


def _location(venue):
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "postalCode": venue.postcode,
            "addressLocality": venue.city,
            "addressCountry": "FR",
        },
    }


def _is_free(page):
    return (page.access_and_price or "").strip().lower().startswith("gratuit")


def occurrence_jsonld(page, occurrence, url, seats_remaining=None):
    """One date of a series as a schema.org Event; ``seats_remaining`` as counted for that date."""
    if occurrence.is_cancelled:
        status = EVENT_STATUS["cancelled"]
    elif occurrence.is_moved:
        status = EVENT_STATUS["rescheduled"]
    else:
        status = EVENT_STATUS.get(page.status, EVENT_STATUS["scheduled"])
    data = {
        "@type": "Event",
        "name": page.title,
        "startDate": _iso(occurrence.start, False),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": f"{url}#date-{occurrence.pk}" if url else None,
    }
    if occurrence.end:
        data["endDate"] = _iso(occurrence.end, False)
    if occurrence.is_moved:
        data["previousStartDate"] = _iso(occurrence.original_start, False)
    venue = occurrence.effective_venue
    if venue:
        data["location"] = _location(venue)
    capacity = occurrence.effective_capacity
    if capacity is not None:
        data["maximumAttendeeCapacity"] = capacity
        data["remainingAttendeeCapacity"] = capacity if seats_remaining is None else seats_remaining
    return {key: value for key, value in data.items() if value is not None}


def published_parts(page, request=None):
    """The organisers and the picture: what costs queries and changes only when something is published.

    Apart so that the event page can keep them per publication (``event_jsonld_script``).
    """
    parts = {"organizer": _organizers(page)}
    if page.image_id and page.image:
        rendition = page.image.get_rendition(IMAGE_SPEC)
        parts["image"] = [request.build_absolute_uri(rendition.url) if request else rendition.full_url]
    return parts


def event_jsonld(page, request=None, seats_remaining=None, occurrence_seats=None, parts=None):
    """The schema.org Event of an event page, as a dict ready for JSON.

    ``seats_remaining``: the seats still free, as the registrations app counted
    them for this request (the agenda does not count seats itself); the
    capacity when not given, as for an event nobody can have registered for yet.
    For a series, ``occurrence_seats`` maps each date's id to its free seats
    (the registrations app counts them); the series itself carries no seats.
    ``parts``: ``published_parts(page, request)`` when the caller kept them.
    """
    url = page.get_full_url(request=request)
    if page.all_day:
        first_day, last_day = event_local_days(page.start, page.end)
        start, end = first_day.isoformat(), last_day.isoformat()
    else:
        start = _iso(page.start, False)
        end = _iso(page.end, False) if page.end else None
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "startDate": start,
        "eventStatus": EVENT_STATUS.get(page.status, EVENT_STATUS["scheduled"]),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
    }
    if end:
        data["endDate"] = end
    description = strip_tags(page.summary or page.search_description or "").strip()
    if description:
        data["description"] = description
    if page.venue_id and page.venue:
        data["location"] = _location(page.venue)
    if parts is None:
        parts = published_parts(page, request)
    data.update(parts)
    if _is_free(page):
        data["isAccessibleForFree"] = True
        data["offers"] = {"@type": "Offer", "price": 0, "priceCurrency": "EUR", "url": url}
    if page.is_series:
        seats = occurrence_seats or {}
        dates = page.next_dates[:MAX_SUB_EVENTS]
        data["subEvent"] = [occurrence_jsonld(page, occurrence, url, seats.get(occurrence.pk)) for occurrence in dates]
    elif page.capacity is not None:
        data["maximumAttendeeCapacity"] = page.capacity
        data["remainingAttendeeCapacity"] = page.capacity if seats_remaining is None else seats_remaining
    if page.is_course and page.course_sessions:
        data["subEvent"] = [
            session_jsonld(page, session, number, url) for number, session in enumerate(page.course_sessions, 1)
        ]
    return data


def session_jsonld(page, session, number, url):
    """One session of a course as a schema.org ``Event`` (its own dates and place), a ``subEvent`` of the course."""
    data = {
        "@type": "Event",
        "name": session.title or _("%(title)s — séance %(number)d") % {"title": page.title, "number": number},
        "startDate": _iso(session.start, False),
        "eventStatus": EVENT_STATUS.get(page.status, EVENT_STATUS["scheduled"]),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
    }
    if session.end:
        data["endDate"] = _iso(session.end, False)
    venue = session.venue if session.venue_id else page.venue
    if venue:
        data["location"] = _location(venue)
    return data


def jsonld_script(data):
    """``<script type="application/ld+json">`` with the same escaping as ``json_script``."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
