from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    """Registrations: capacity, waiting list, approval, e-mails, exports and reports."""

    name = "registrations"
    verbose_name = "Inscriptions"

    def ready(self):
        from registrations import log_actions, receivers  # noqa: F401  (hooks and signal receivers)
