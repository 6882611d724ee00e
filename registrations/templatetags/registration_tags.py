"""What event pages show of registrations: the seats left and the way to register.

The agenda does not count seats: its templates ask these tags, so that the
registrations app depends on the agenda and never the other way round. Both
mark the request as showing the event, so that the page cache purges the page
when the event's seats change (``core.page_tags``).
"""

from django import template

from core.page_tags import mark_events_shown
from registrations.services import availability

register = template.Library()


@register.simple_tag(takes_context=True)
def event_availability(context, page):
    """The registration state of an event for this request (one query), shared by the box and the JSON-LD."""
    mark_events_shown(context.get("request"), [page])
    return availability(page)


@register.inclusion_tag("registrations/includes/registration_box.html", takes_context=True)
def registration_box(context, page, current=None):
    """Availability and call to action for one event page (the form itself lives on its own page).

    ``current``: the availability the page already read for this request, if any.
    """
    mark_events_shown(context.get("request"), [page])
    return {"page": page, "availability": current or availability(page)}
