"""Template helpers of the agenda: French dates, JSON-LD, calendar links."""

from django import template
from django.urls import reverse

from events.dates import format_event_dates
from events.jsonld import jsonld_script

register = template.Library()


@register.filter
def event_dates(page):
    """ "jeudi 3 juillet 2025, 9 h 30 – 17 h" for an event page."""
    return format_event_dates(page.start, page.end, page.all_day)


@register.filter
def as_jsonld(data):
    return jsonld_script(data)


@register.simple_tag(takes_context=True)
def calendar_feed_urls(context, category=None):
    """The https:// and webcal:// addresses of the agenda feed (or of a category's)."""
    request = context["request"]
    path = reverse("events:category_feed", args=[category.slug]) if category else reverse("events:feed")
    url = request.build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}
