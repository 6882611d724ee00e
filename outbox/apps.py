from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The transactional outbox: every e-mail the site sends is stored, then delivered by the task queue."""

    name = "outbox"
    verbose_name = _("E-mails envoyés")

    def ready(self):
        from outbox import checks  # noqa: F401  (system checks)
