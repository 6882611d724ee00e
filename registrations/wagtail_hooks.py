"""Admin wiring of the registrations: the "Inscriptions" menu, bulk actions, links from event pages, log labels."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button, ListingButton
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from events.models import EventPage
from home.viewsets import FrenchSnippetViewSet
from registrations.admin.agenda import AgendaMenu, PendingRequestsPanel, UpcomingEventsPanel
from registrations.admin.bulk_actions import BULK_ACTIONS
from registrations.admin.payments import SendDocumentsBulkAction
from registrations.admin.permissions import can_manage_registrations
from registrations.admin.viewsets import RegistrationViewSetGroup
from registrations.figures import confirmed_seats
from registrations.models import AudienceQuestion, Registration, RegistrationMode


class AudienceQuestionViewSet(FrenchSnippetViewSet):
    """The funders' audience questions, defined once in the settings; each event chooses which to ask."""

    model = AudienceQuestion
    icon = "help"
    menu_label = gettext_lazy("Questions des financeurs")
    add_item_label = gettext_lazy("Ajouter une question")
    add_to_settings_menu = True
    list_display = ["label", "key", "sort_order"]
    ordering = ["sort_order", "pk"]


register_snippet(AudienceQuestionViewSet)

# The "Agenda" menu: the events listing with its seats, venues and categories (see registrations/admin/agenda.py).
register_snippet(AgendaMenu)


@hooks.register("register_admin_viewset")
def register_registrations_menu():
    return RegistrationViewSetGroup()


for bulk_action in BULK_ACTIONS:  # approve, reject, check-in, cancel, check-out (with Wagtail's confirmation)
    hooks.register("register_bulk_action", bulk_action)
hooks.register("register_bulk_action", SendDocumentsBulkAction)  # receipts, invoices, certificates by e-mail


# Labels of the audit-log actions of the staff tooling: edits, resends, exports and the
# message to attendees (the seat decisions, "registrations.approve" etc., are labelled
# in registrations/log_actions.py).
LOG_ACTIONS = {
    "registrations.edit": (gettext_lazy("Coordonnées modifiées"), gettext_lazy("Coordonnées ou réponses modifiées")),
    "registrations.resend": (gettext_lazy("E-mail renvoyé"), gettext_lazy("E-mail de l'inscription renvoyé")),
    "registrations.email_attendees": (
        gettext_lazy("Message aux participant·es"),
        gettext_lazy("Message envoyé aux participant·es confirmé·es"),
    ),
    "registrations.export": (gettext_lazy("Export des inscriptions"), gettext_lazy("Liste des inscriptions exportée")),
}


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


def _is_event_with_registrations(page):
    specific_class = page.specific_class
    return bool(specific_class and issubclass(specific_class, EventPage))


# The attribute that carries an event's confirmed seats when its listing read them in its own query:
# the explorer through ``annotate_listed_seats`` below, Agenda › Événements in its base queryset
# (registrations/admin/agenda.py). A listing button reads it instead of running a query per row.
LISTED_SEATS = "confirmed_seats"


def listed_seats():
    """The confirmed seats of the page on each row, as a subquery of the listing's own query.

    ``figures.confirmed_seats`` (the one definition) summed over the page's registrations; 0 for a page
    that has none (an event nobody booked yet, or any page that is not an event: its button is not shown).
    """
    seats = (
        Registration.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(seats=confirmed_seats())
        .values("seats")
    )
    return Coalesce(Subquery(seats), 0)


@hooks.register("construct_explorer_page_queryset")
def annotate_listed_seats(parent_page, pages, request):
    """The explorer reads the seats of all its rows in its own query, not one query per event row.

    Wagtail calls this hook for the explorer's listing and its filtered results (and for the sidebar's
    page menu, which ignores the figure). A correlated subquery rather than a join: the listing's
    other annotations and its ``.specific()`` stay as Wagtail builds them, and the figure reaches each
    specific page (``SpecificIterable`` copies annotations over).
    """
    return pages.annotate(**{LISTED_SEATS: listed_seats()})


def seats_label(registration_mode, capacity, confirmed):
    """« Inscriptions (12/30) », « Inscriptions (12) » without a limit; None without registration on this site."""
    if registration_mode in (RegistrationMode.NONE, RegistrationMode.EXTERNAL):
        return None
    if capacity is None:
        return _("Inscriptions (%(confirmed)d)") % {"confirmed": confirmed}
    return _("Inscriptions (%(confirmed)d/%(capacity)d)") % {"confirmed": confirmed, "capacity": capacity}


def registrations_button_label(page):
    """« Inscriptions (12/30) »: confirmed seats over capacity, counts only, nothing personal.

    A listed event whose listing read its seats (``LISTED_SEATS``) costs no query; any other page (the
    header of one page, a listing that did not annotate) reads them in one query.
    """
    confirmed = getattr(page, LISTED_SEATS, None)
    if confirmed is not None and isinstance(page, EventPage):
        return seats_label(page.registration_mode, page.capacity, confirmed)
    row = (
        EventPage.objects.filter(pk=page.pk)
        .annotate(confirmed=confirmed_seats("registrations__"))
        .values("capacity", "confirmed", "registration_mode")
        .first()
    )
    if row is None:
        return None
    return seats_label(row["registration_mode"], row["capacity"], row["confirmed"])


def registrations_button_url(page, user):
    """Managers go to the event's registrations; other editors to the page's "Inscriptions" tab (counts only)."""
    if can_manage_registrations(user):
        return reverse("inscriptions:event", args=[page.pk])
    return reverse("wagtailadmin_pages:edit", args=[page.pk]) + "#tab-inscriptions"


@hooks.register("register_page_listing_buttons")
def page_listing_registrations_button(page, user, next_url=None):
    if not _is_event_with_registrations(page):
        return []
    label = registrations_button_label(page)
    if label is None:
        return []
    return [ListingButton(label, registrations_button_url(page, user), icon_name="group", priority=15)]


@hooks.register("register_page_header_buttons")
def page_header_registrations_button(page, user, next_url=None, view_name=None):
    if not _is_event_with_registrations(page):
        return []
    label = registrations_button_label(page)
    if label is None:
        return []
    return [Button(label, registrations_button_url(page, user), icon_name="group", priority=15)]


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    if can_manage_registrations(request.user):
        panels.append(PendingRequestsPanel(request))
    panels.append(UpcomingEventsPanel(request))


# ---------------------------------------------------------------------------
# Deleting events that have registrations

MAX_TITLES_SHOWN = 3


def events_with_registrations(pages):
    """The event pages among ``pages`` and their descendants that hold registrations (anonymised ones too)."""
    within = Q()
    for page in pages:
        within |= Q(path__startswith=page.path)
    return EventPage.objects.filter(within, registrations__isnull=False).distinct().order_by("path")


def _refuse_deletion(request, pages, fallback_url):
    """Refuse, in French, to delete pages that would take registrations with them; None when nothing is at stake.

    The registrations hold a PROTECT key to their event: Wagtail would answer
    500 and log every attendee's name (in the ProtectedError). Refusing here,
    before Wagtail tries, names only the events, never the people.
    """
    blocked = list(events_with_registrations(pages).values_list("title", flat=True)[: MAX_TITLES_SHOWN + 1])
    if not blocked:
        return None
    titles = ", ".join(f"« {title} »" for title in blocked[:MAX_TITLES_SHOWN])
    if len(blocked) > MAX_TITLES_SHOWN:
        titles += ", …"
    messages.error(
        request,
        ngettext(
            "Suppression impossible : l'événement %(titles)s a des inscriptions. "
            "Annulez l'événement à la place (statut « Annulé ») : les inscrit·es sont prévenu·es "
            "et les bilans restent justes.",
            "Suppression impossible : les événements %(titles)s ont des inscriptions. "
            "Annulez les événements à la place (statut « Annulé ») : les inscrit·es sont prévenu·es "
            "et les bilans restent justes.",
            len(blocked),
        )
        % {"titles": titles},
    )
    return redirect(get_valid_next_url_from_request(request) or fallback_url)


@hooks.register("before_delete_page")
def refuse_deleting_events_with_registrations(request, page):
    """The page's own delete button (the event, or a section above events), before the confirmation too."""
    return _refuse_deletion(request, [page], reverse("wagtailadmin_explore", args=[page.get_parent().pk]))


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_events_with_registrations(request, action_type, objects, action_class_instance):
    """The page explorer's bulk "Supprimer", for the events themselves or the sections that hold them."""
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    return _refuse_deletion(request, objects, action_class_instance.next_url or reverse("wagtailadmin_explore_root"))


# ---------------------------------------------------------------------------
# Publishing in bulk changes that would e-mail registrants


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_changes_that_email_registrants(request, action_type, objects, action_class_instance):
    """The explorer's bulk « Publier » has no confirmation box: such events are published from their editor.

    The editor's form says how many people will be e-mailed and asks to
    confirm (``events/forms.py``); publishing in bulk would skip that.
    """
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    within = Q()
    for page in objects:
        within |= Q(path__startswith=page.path)
    blocked = [
        event.title
        for event in EventPage.objects.filter(within, has_unpublished_changes=True).order_by("path")
        if event.get_latest_revision_as_object().publication_notice()
    ]
    if not blocked:
        return None
    titles = ", ".join(f"« {title} »" for title in blocked[:MAX_TITLES_SHOWN])
    if len(blocked) > MAX_TITLES_SHOWN:
        titles += ", …"
    messages.error(
        request,
        ngettext(
            "Rien n'est publié : la publication de %(titles)s enverrait un e-mail aux personnes inscrites. "
            "Publiez-le depuis son éditeur, qui indique combien de personnes seront prévenues.",
            "Rien n'est publié : la publication de %(titles)s enverrait un e-mail aux personnes inscrites. "
            "Publiez-les depuis leur éditeur, qui indique combien de personnes seront prévenues.",
            len(blocked),
        )
        % {"titles": titles},
    )
    return redirect(action_class_instance.next_url or reverse("wagtailadmin_explore_root"))
