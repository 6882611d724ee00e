"""The admin's « Guide de la rédaction »: how the team adds a workshop, an article or a partner.

In ``config`` because it speaks of every part of the site (pages, agenda,
registrations) and of what publishing sends to registrants.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from config import routing


class EditorsGuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "config/editors_guide.html"
    page_title = _("Guide de la rédaction")
    header_icon = "help"


@hooks.register("register_admin_urls")
def editors_guide_urls():
    return [path("guide-de-la-redaction/", EditorsGuideView.as_view(), name="editors_guide")]


@hooks.register("register_admin_menu_item")
def editors_guide_menu_item():
    return MenuItem(_("Guide de la rédaction"), reverse("editors_guide"), icon_name="help", order=10000)


@hooks.register("before_serve_page")
def remember_route(page, request, serve_args, serve_kwargs):
    """The route Wagtail found, for the next request of the same path (``config/routing.py``)."""
    routing.remember(request, page)
