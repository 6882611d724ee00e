"""What the staff views share: the event they are about, one breadcrumbs trail, a safe "next" URL, search terms."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.text import clean_line
from events.models import EventPage, EventSchedule, Occurrence
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations
from registrations.booking import BookableUnit

# A name or an address typed in a search box: longer searches are cut, so that no query
# string builds a huge SQL filter (SQLite refuses LIKE patterns over 50 kB: a 500).
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 5


def search_text(value):
    """What staff typed in a search box, on one line, without hidden characters, at most 100 characters."""
    return clean_line(value)[:SEARCH_MAX_LENGTH]


# The query parameter that names one date of a series on every per-event staff page.
DATE_PARAMETER = "date"


def date_query(occurrence):
    """``?date=<id>`` for one date of a series, "" otherwise: appended to the per-event staff URLs."""
    return f"?{DATE_PARAMETER}={occurrence.pk}" if occurrence is not None else ""


def event_url(event, name="event", occurrence=None):
    """One of the per-event staff pages (``inscriptions:event`` by default), for one date of a series if given."""
    return reverse(f"inscriptions:{name}", args=[event.pk]) + date_query(occurrence)


def registration_event_url(registration, name="event"):
    """The per-event staff page of the unit a registration booked (its date for a series)."""
    return event_url(registration.event, name, registration.occurrence if registration.occurrence_id else None)


def safe_next_url(request, default):
    """The ``next`` parameter when it stays on this site, else ``default`` (no open redirect)."""
    return get_valid_next_url_from_request(request) or default


class EventMixin(ManagerRequiredMixin):
    """Loads ``self.event`` from the ``event_id`` URL argument, for managers only (others get a 403 first).

    For a series, ``?date=<id>`` names one of its dates (``self.occurrence``,
    a 404 for a date of another event): the page then works on that date's
    registrations only. ``self.unit`` is the bookable unit either way.
    """

    occurrence = None
    # True for the pages that only make sense for one date (door check-in, sign-in sheet, adding someone):
    # a series without ``?date=`` is sent to its dates.
    needs_date = False

    def dispatch(self, request, *args, **kwargs):
        if can_manage_registrations(request.user):
            self.event = get_object_or_404(EventPage.objects.select_related("venue"), pk=kwargs["event_id"])
            self.occurrence = self.date_from(request)
            self.unit = BookableUnit(self.event, self.occurrence)
            if self.needs_date and self.occurrence is None and self.event.schedule == EventSchedule.SERIES:
                return redirect("inscriptions:dates", event_id=self.event.pk)
        return super().dispatch(request, *args, **kwargs)

    def date_from(self, request):
        value = request.GET.get(DATE_PARAMETER, "")
        if not value:
            return None
        if not value.isdigit() or self.event.schedule != EventSchedule.SERIES:
            raise Http404
        occurrence = get_object_or_404(Occurrence.objects.select_related("venue"), pk=int(value), event=self.event)
        occurrence.event = self.event
        return occurrence

    def event_url(self, name="event"):
        return event_url(self.event, name, self.occurrence)

    def unit_context(self):
        """What every per-event template needs to keep the date in its links and say which date it shows."""
        return {
            "event": self.event,
            "occurrence": self.occurrence,
            "date_query": date_query(self.occurrence),
            "when": self.unit.dates_display,
        }


class StaffPageMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin chrome with one breadcrumbs trail: Inscriptions › event › this page.

    On the event's own page the event is the last crumb, without a link.
    """

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("inscriptions:index"), "label": _("Inscriptions")}]
        event = getattr(self, "event", None)
        if event is not None:
            items.append({"url": event_url(event), "label": event.title})
            occurrence = getattr(self, "occurrence", None)
            if occurrence is not None:
                items.append({"url": event_url(event, occurrence=occurrence), "label": self.unit.dates_display})
        if items[-1]["url"] == self.request.path:
            items[-1]["url"] = ""
        else:
            items.append({"url": "", "label": self.get_page_title()})
        return self.breadcrumbs_items + items
