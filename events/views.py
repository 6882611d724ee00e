"""Calendar downloads and feeds: thin views over ``events.ical``."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core.page_tags import mark_events_shown
from events import ical
from events.models import EventCategory, EventIndexPage, EventPage

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(calendar, filename=None):
    response = HttpResponse(calendar.to_ical(), content_type=CALENDAR_CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def _public_events():
    return EventPage.objects.live().public()


@require_safe
def event_ics(request, pk):
    """One event as an .ics file, to add it to a calendar."""
    page = get_object_or_404(_public_events().select_related("category", "venue"), pk=pk)
    mark_events_shown(request, [page])
    return calendar_response(ical.event_calendar(page, request=request), filename=f"{page.slug}.ics")


def _site_agenda(request):
    site = Site.find_for_request(request)
    agenda = EventIndexPage.objects.live().in_site(site).first() if site else None
    if agenda is None:
        raise Http404
    return site, agenda


@require_safe
def agenda_feed(request):
    """The whole agenda as a calendar people subscribe to (webcal://)."""
    site, agenda = _site_agenda(request)
    events = list(_public_events().child_of(agenda).for_feed().order_by("start", "pk"))
    mark_events_shown(request, events)  # the page cache purges the feed when one of them changes
    return calendar_response(ical.agenda_calendar(events, site.site_name or agenda.title, request=request))


@require_safe
def category_feed(request, slug):
    """The agenda of one category, as a subscribable calendar."""
    site, agenda = _site_agenda(request)
    category = get_object_or_404(EventCategory, slug=slug)
    events = list(_public_events().child_of(agenda).filter(category=category).for_feed().order_by("start", "pk"))
    mark_events_shown(request, events)
    return calendar_response(
        ical.agenda_calendar(events, site.site_name or agenda.title, category=category, request=request)
    )
