"""Admin registration of the association's snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import Partner


class PartnerViewSet(SnippetViewSet):
    """Partners listed with their category, filterable, in their own menu entry."""

    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "category", "website", "sort_order"]
    list_filter = ["category"]
    list_export = ["name", "category", "website", "description"]
    search_fields = ["name"]
    ordering = ["category", "sort_order", "name"]


register_snippet(PartnerViewSet)
