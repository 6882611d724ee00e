"""The registration box shown on event pages (availability and the way to register)."""

from django import template

from registrations.services import availability

register = template.Library()


@register.inclusion_tag("registrations/includes/registration_box.html")
def registration_box(page, current=None):
    """Availability and call to action for one event page (the form itself lives on its own page).

    ``current``: the availability the page already read for this request, if any.
    """
    return {"page": page, "availability": current or availability(page)}
