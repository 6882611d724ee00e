"""What the staff views share: the event they are about, one breadcrumbs trail, a safe "next" URL, search terms."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.text import clean_line
from events.models import EventPage
from registrations.admin.permissions import ManagerRequiredMixin, can_manage_registrations

# A name or an address typed in a search box: longer searches are cut, so that no query
# string builds a huge SQL filter (SQLite refuses LIKE patterns over 50 kB: a 500).
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 5


def search_text(value):
    """What staff typed in a search box, on one line, without hidden characters, at most 100 characters."""
    return clean_line(value)[:SEARCH_MAX_LENGTH]


def event_url(event, name="event"):
    """One of the per-event staff pages (``inscriptions:event`` by default)."""
    return reverse(f"inscriptions:{name}", args=[event.pk])


def safe_next_url(request, default):
    """The ``next`` parameter when it stays on this site, else ``default`` (no open redirect)."""
    return get_valid_next_url_from_request(request) or default


class EventMixin(ManagerRequiredMixin):
    """Loads ``self.event`` from the ``event_id`` URL argument, for managers only (others get a 403 first)."""

    def dispatch(self, request, *args, **kwargs):
        if can_manage_registrations(request.user):
            self.event = get_object_or_404(EventPage.objects.select_related("venue"), pk=kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def event_url(self, name="event"):
        return event_url(self.event, name)


class StaffPageMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin chrome with one breadcrumbs trail: Inscriptions › event › this page.

    On the event's own page the event is the last crumb, without a link.
    """

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("inscriptions:index"), "label": _("Inscriptions")}]
        event = getattr(self, "event", None)
        if event is not None:
            items.append({"url": event_url(event), "label": event.title})
        if items[-1]["url"] == self.request.path:
            items[-1]["url"] = ""
        else:
            items.append({"url": "", "label": self.get_page_title()})
        return self.breadcrumbs_items + items
