from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Agenda, event pages, venues, categories and iCalendar feeds."""

    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        from events import receivers  # noqa: F401  (connects the signal handlers)
