"""The admin's agenda: every event in one listing, soonest first, with its seats and requests.

Editors reach an event from the "Agenda" menu instead of Pages → Agenda →
child page; "Ajouter un événement" goes straight to the event form (the
agenda is the only place events may live). Counts only, nothing personal, so
every editor may see it; the seats come from ``registrations/figures.py``.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from events.models import EventPage
from events.wagtail_hooks import EventCategoryViewSet, EventDatesColumn, EventStatusColumn, VenueViewSet
from registrations.admin.base import event_url
from registrations.admin.permissions import can_manage_registrations
from registrations.figures import confirmed_seats, figure_aggregates
from registrations.models import RegistrationMode


class SeatsColumn(Column):
    """« 12 / 30 », « 12 » without a limit, « — » without registration on this site."""

    def get_value(self, instance):
        if instance.registration_mode in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):
            return "—"
        if instance.capacity is None:
            return str(instance.confirmed_seats)
        return f"{instance.confirmed_seats} / {instance.capacity}"


class RequestsColumn(Column):
    """Requests to review and people waiting, the two things that need someone's attention."""

    def get_value(self, instance):
        parts = []
        if instance.pending_requests:
            parts.append(_("%(count)d à valider") % {"count": instance.pending_requests})
        if instance.waiting_people:
            parts.append(_("%(count)d en attente") % {"count": instance.waiting_people})
        return " · ".join(parts) or "—"


class EventListingIndexView(IndexView):
    page_title = _("Événements")
    add_item_label = _("Ajouter un événement")
    default_ordering = "-start"

    def get_base_queryset(self):
        figures = figure_aggregates("registrations__")
        return (
            super()
            .get_base_queryset()
            .annotate(
                confirmed_seats=confirmed_seats("registrations__"),
                pending_requests=figures["pending"],
                waiting_people=figures["waitlisted"],
            )
            .select_related("category")
        )


class EventListingViewSet(PageListingViewSet):
    model = EventPage
    index_view_class = EventListingIndexView
    name = "evenements"
    url_prefix = "agenda/evenements"
    icon = "date"
    menu_label = _("Événements")
    menu_order = 10
    columns = [
        *IndexView.base_columns,
        EventDatesColumn("start", label=_("Date"), sort_key="start", width="20%"),
        EventStatusColumn("event_status", label=_("Statut de l'événement"), sort_key="status", width="10%"),
        SeatsColumn("seats", label=_("Places confirmées"), width="10%"),
        RequestsColumn("requests", label=_("Demandes"), width="14%"),
    ]
    list_filter = ["status", "category", "start"]


class AgendaMenu(SnippetViewSetGroup):
    """ "Agenda" in the admin menu: events, venues, categories."""

    items = (EventListingViewSet, VenueViewSet, EventCategoryViewSet)
    menu_icon = "date"
    menu_label = _("Agenda")
    menu_name = "agenda"
    menu_order = 240


class UpcomingEventsPanel(Component):
    """The dashboard's « Prochains événements »: seats, waiting list and requests to review, counts only."""

    name = "prochains_evenements"
    order = 50
    template_name = "registrations/admin/upcoming_events_panel.html"
    limit = 6

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        figures = figure_aggregates("registrations__")
        events = (
            EventPage.objects.upcoming()
            .annotate(
                confirmed_seats=confirmed_seats("registrations__"),
                pending_requests=figures["pending"],
                waiting_people=figures["waitlisted"],
            )
            .order_by("start", "pk")[: self.limit]
        )
        manager = can_manage_registrations(self.request.user)
        rows = [
            {
                "event": event,
                "seats": SeatsColumn("seats").get_value(event),
                "requests": RequestsColumn("requests").get_value(event),
                "url": reverse("inscriptions:event", args=[event.pk])
                if manager
                else reverse("wagtailadmin_pages:edit", args=[event.pk]),
            }
            for event in events
        ]
        return {"rows": rows, "listing_url": reverse("evenements:index")}


class PendingRequestsPanel(Component):
    """The dashboard's « Demandes à valider »: upcoming events with requests waiting, for the managers only.

    The hook adds it only for people who may decide (``can_manage_registrations``);
    each line links to the event's staff page, at its requests.
    """

    name = "demandes_a_valider"
    order = 40
    template_name = "registrations/admin/pending_requests_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        events = (
            EventPage.objects.upcoming()
            .annotate(pending_requests=figure_aggregates("registrations__")["pending"])
            .filter(pending_requests__gt=0)
            .order_by("start", "pk")
        )
        rows = [
            {"event": event, "count": event.pending_requests, "url": f"{event_url(event)}#pending-title"}
            for event in events
        ]
        return {"rows": rows}
