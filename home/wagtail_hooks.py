"""Admin registration of the association's snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from home.models import Partner
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
