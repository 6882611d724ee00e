"""What event pages show of registrations: the seats left and the way to register.

The agenda does not count seats: its templates ask these tags, so that the
registrations app depends on the agenda and never the other way round. Both
mark the request as showing the event, so that the page cache purges the page
when the event's seats change (``core.page_tags``).
"""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.page_tags import mark_events_shown
from registrations.services import availabilities, availability, series_dates

register = template.Library()

# The registration box lists this many dates of a series; the form's own page lists them all.
BOX_DATES = 8


@register.simple_tag(takes_context=True)
def event_availability(context, page):
    """The registration state of an event for this request (one query), shared by the box and the JSON-LD."""
    mark_events_shown(context.get("request"), [page])
    return availability(page)


@register.inclusion_tag("registrations/includes/registration_box.html", takes_context=True)
def registration_box(context, page, current=None):
    """Availability and call to action for one event page (the form itself lives on its own page).

    ``current``: the availability the page already read for this request, if any.
    A series lists its dates to come, each with its seats badge and its own
    link to the form (``series_dates``: two queries however many dates).
    """
    mark_events_shown(context.get("request"), [page])
    state = current or availability(page)
    dates = series_dates(page, limit=BOX_DATES + 1) if state.state == "dates" else []
    return {"page": page, "availability": state, "dates": dates[:BOX_DATES], "more_dates": len(dates) > BOX_DATES}


@register.simple_tag
def events_availability(events):
    """The registration state of every event of a listing, ``{pk: Availability}``, with one query for all seats."""
    return availabilities(events)


def seats_badge_label(state):
    """The few words an agenda card shows about seats, or "" when there is nothing to register for."""
    if state.state == "open":
        if state.seats_remaining is None:
            return _("Sur inscription")
        return ngettext("%(count)d place", "%(count)d places", state.seats_remaining) % {"count": state.seats_remaining}
    if state.state == "full_waitlist":
        return _("Liste d'attente")
    if state.state == "full" or (state.state == "closed" and state.seats_remaining == 0):
        return _("Complet")
    return ""


@register.filter
def date_badge(state):
    """The badge of one date of a series: its seats, « Complet », « Liste d'attente », « Annulée » or why closed."""
    if state.state == "cancelled_event":
        return _("Annulée")
    if state.state == "not_yet_open":
        return _("Bientôt ouverte")
    return seats_badge_label(state) or (_("Inscriptions closes") if state.state == "closed" else "")


@register.inclusion_tag("registrations/includes/seats_badge.html")
def seats_badge(event, states):
    """The seats badge of one agenda card, read from ``events_availability`` (no query of its own)."""
    state = states.get(event.pk)
    return {"label": seats_badge_label(state) if state else "", "state": state.state if state else ""}
