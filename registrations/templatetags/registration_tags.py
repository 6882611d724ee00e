"""What event pages show of registrations: the seats left and the way to register.

The agenda does not count seats: its templates ask these tags, so that the
registrations app depends on the agenda and never the other way round.
"""

from django import template

from registrations.services import availability

register = template.Library()


@register.simple_tag
def event_availability(page):
    """The registration state of an event for this request (one query), shared by the box and the JSON-LD."""
    return availability(page)


@register.inclusion_tag("registrations/includes/registration_box.html")
def registration_box(page, current=None):
    """Availability and call to action for one event page (the form itself lives on its own page).

    ``current``: the availability the page already read for this request, if any.
    """
    return {"page": page, "availability": current or availability(page)}
