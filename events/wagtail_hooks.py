"""Admin: the venues' and categories' snippet views, and the agenda's page listing columns.

The "Agenda" menu that groups them with the events listing is assembled by
``registrations/wagtail_hooks.py``, because that listing shows seats (the
agenda app does not count them).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.pages import PageViewSet

from events.models import EventCategory, EventIndexPage, EventPage, Venue
from home.viewsets import FrenchSnippetViewSet


class VenueViewSet(FrenchSnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Lieux")
    add_item_label = _("Ajouter un lieu")
    # A tick rather than Python's True/False.
    list_display = ["name", "address", "city", BooleanColumn("is_default", label=_("Lieu par défaut"))]
    search_fields = ["name", "address", "city"]
    ordering = ["name"]


class EventCategoryViewSet(FrenchSnippetViewSet):
    model = EventCategory
    icon = "tag"
    menu_label = _("Catégories")
    add_item_label = _("Ajouter une catégorie")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class EventDatesColumn(Column):
    """The event's dates in French, sortable by start."""

    def get_value(self, instance):
        return instance.dates_display if hasattr(instance, "start") else ""


class EventStatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display() if hasattr(instance, "status") else ""


class EventPageViewSet(PageViewSet):
    """Children of the agenda listed with their date and status, latest first."""

    model = EventPage
    parent_models = [EventIndexPage]
    icon = "date"
    columns = [
        *PageViewSet.columns,
        EventDatesColumn("start", label=_("Date"), sort_key="start", width="22%"),
        EventStatusColumn("event_status", label=_("Statut de l'événement"), sort_key="status", width="12%"),
    ]
    list_filter = ["status", "category"]
    ordering = "-start"


@hooks.register("register_admin_viewset")
def register_event_page_viewset():
    return EventPageViewSet()
