"""Admin wiring: the « Actions financées » snippet, with a link to each action's report."""

from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from funders import urls
from funders.models import FundedAction
from home.viewsets import FrenchSnippetViewSet


class ReportColumn(Column):
    """« Voir le bilan », for the staff who may read the figures."""

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>', reverse("funders:report", args=[instance.pk]), gettext_lazy("Voir le bilan")
        )


class FundedActionViewSet(FrenchSnippetViewSet):
    """Funded actions: their funders, objectives and events; each one's report and pack."""

    model = FundedAction
    icon = "doc-full"
    menu_label = gettext_lazy("Actions financées")
    add_item_label = gettext_lazy("Ajouter une action financée")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["title", "scheme", "first_year", "last_year", ReportColumn("report", label=gettext_lazy("Bilan"))]
    search_fields = ["title", "scheme", "funder_text"]


register_snippet(FundedActionViewSet)


@hooks.register("register_admin_urls")
def register_funders_urls():
    return [path("actions-financees/", include(urls, namespace="funders"))]
