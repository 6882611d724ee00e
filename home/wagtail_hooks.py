"""Admin registration of the association's snippets, and who reads the contact-form messages."""

from datetime import datetime

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from core.dates import format_event_dates, local_zone
from home.contact import can_read_contact_messages
from home.models import ContactPage, Partner
from home.viewsets import FrenchSnippetViewSet


class PartnerViewSet(FrenchSnippetViewSet):
    """Partners listed with their category, filterable, in their own menu entry."""

    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    add_item_label = _("Ajouter un partenaire")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "category", "website", "sort_order"]
    list_filter = ["category"]
    list_export = ["name", "category", "website", "description"]
    search_fields = ["name"]
    ordering = ["category", "sort_order", "name"]


register_snippet(PartnerViewSet)


@hooks.register("filter_form_submissions_for_user")
def contact_messages_for_their_readers(user, editable_forms):
    """Contact messages for the "Messages du site" group and superusers only, whatever their page rights.

    Wagtail lets anyone who may edit a form page list, export and delete its
    submissions; for the contact page that is every Editor and Moderator.
    This hook, applied to every submissions view and the "Formulaires" menu,
    takes the contact page away from them and gives it to its readers.
    """
    contact_pages = Q(content_type__app_label="home", content_type__model="contactpage")
    if can_read_contact_messages(user):
        return Page.objects.filter(Q(pk__in=editable_forms.values("pk")) | contact_pages)
    return editable_forms.exclude(contact_pages)


@hooks.register("register_permissions")
def contact_messages_permission():
    """Offer "Lire… les messages du formulaire de contact" in the admin's group editor."""
    return Permission.objects.filter(content_type__app_label="home", codename="read_contact_messages")


def contact_messages(request):
    """The admin entry "Messages du site": the messages of the (one) contact page."""
    if not can_read_contact_messages(request.user):
        raise PermissionDenied
    page = ContactPage.objects.order_by("path").first()
    if page is None:
        raise Http404
    return redirect("wagtailforms:list_submissions", page.pk)


@hooks.register("register_admin_urls")
def contact_messages_urls():
    return [path("messages-du-site/", contact_messages, name="home_contact_messages")]


class ContactMessagesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_contact_messages(request.user)


@hooks.register("register_admin_menu_item")
def contact_messages_menu_item():
    return ContactMessagesMenuItem(
        _("Messages du site"), reverse("home_contact_messages"), name="contact-messages", icon_name="mail", order=700
    )


@hooks.register("construct_main_menu")
def hide_wagtail_forms_menu(request, menu_items):
    """Wagtail's "Formulaires" list needs page rights the readers do not have; "Messages du site" replaces it."""
    menu_items[:] = [item for item in menu_items if item.name != "forms"]


def styleguide(request):
    """The living style guide: the public site's components, drawn by the site's own CSS (docs/design.md)."""
    start = datetime(2026, 12, 24, 9, 30, tzinfo=local_zone())
    sample_dates = format_event_dates(start, start.replace(hour=17, minute=0))
    return TemplateResponse(
        request, "home/styleguide.html", {"colours": STYLEGUIDE_COLOURS, "sample_dates": sample_dates}
    )


# Name, CSS variable, value and the contrast it was chosen for (checked with the WCAG formula).
STYLEGUIDE_COLOURS = [
    (_("Encre"), "--ink", "#231a12", _("texte : 16,5:1 sur le papier")),
    (_("Encre douce"), "--ink-soft", "#5b4a3c", _("texte secondaire : 8,1:1 sur le papier")),
    (_("Papier"), "--paper", "#fffaf3", _("fond des pages")),
    (_("Sable"), "--sand", "#f6ead8", _("fonds teintés : l'encre y garde 14,4:1")),
    (_("Terre cuite"), "--terracotta", "#b8400e", _("filets et accents : 5,6:1 sur le blanc")),
    (_("Terre cuite foncée"), "--terracotta-dark", "#9a3412", _("liens et boutons : 7,3:1 avec le blanc")),
    (_("Canard"), "--teal", "#0f5257", _("chiffres clés, badges : 8,9:1 avec le blanc")),
    (_("Soleil"), "--sun", "#f2c14e", _("mise en avant, toujours avec l'encre : 10,2:1")),
    (_("Alerte"), "--danger", "#a4161a", _("annulé, erreurs : 7,8:1 avec le blanc")),
    (_("Report"), "--warning", "#6b4e00", _("reporté : 7,7:1 avec le blanc")),
]


@hooks.register("register_admin_urls")
def styleguide_urls():
    return [path("guide-de-style/", styleguide, name="home_styleguide")]


@hooks.register("register_admin_menu_item")
def styleguide_menu_item():
    return MenuItem(_("Guide de style du site"), reverse("home_styleguide"), icon_name="image", order=10001)
