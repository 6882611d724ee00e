"""Admin: the venues' and categories' snippet views, and the agenda's page listing columns.

The "Agenda" menu that groups them with the events listing is assembled by
``registrations/wagtail_hooks.py``, because that listing shows seats (the
agenda app does not count them).
"""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
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


@hooks.register("after_publish_page")
def tell_editor_about_kept_dates(request, page):
    """After publishing a series: say which dates stay although the rule no longer gives them."""
    page = page.specific
    if not isinstance(page, EventPage) or not page.is_series:
        return
    kept = page.dates_kept_off_rule()
    if kept:
        messages.warning(
            request,
            ngettext(
                "La date du %(dates)s ne fait plus partie de la règle mais des personnes y sont inscrites : "
                "elle est gardée. Annulez-la si elle ne doit pas avoir lieu.",
                "Ces dates ne font plus partie de la règle mais des personnes y sont inscrites : %(dates)s. "
                "Elles sont gardées ; annulez celles qui ne doivent pas avoir lieu.",
                len(kept),
            )
            % {"dates": " ; ".join(occurrence.dates_display for occurrence in kept)},
        )
