"""Read-only admin panel: the figures of an event's registrations, at the top of its "Inscriptions" tab."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from registrations.admin.permissions import can_manage_registrations
from registrations.figures import event_figures, occurrence_figures


class RegistrationFiguresPanel(Panel):
    """Counts only (nothing personal), so every editor of the event may see them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "registrations/panels/figures.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            event = self.instance
            context["figures"] = event_figures(event) if event.pk else None
            # A series has its seats date by date: its dates' own figures, not a sum against one capacity.
            context["dates"] = occurrence_figures(event) if event.pk else []
            if event.pk and can_manage_registrations(self.request.user):
                context["manage_url"] = reverse("inscriptions:event", args=[event.pk])
            return context
