"""System check: the outbox must hand messages to a real transport, not to itself."""

from django.conf import settings
from django.core import checks

OUTBOX_BACKEND = "outbox.backends.OutboxBackend"


@checks.register(checks.Tags.compatibility)
def delivery_backend_is_a_transport(app_configs, **kwargs):
    if getattr(settings, "OUTBOX_DELIVERY_BACKEND", OUTBOX_BACKEND) == OUTBOX_BACKEND:
        return [
            checks.Error(
                "OUTBOX_DELIVERY_BACKEND doit nommer le vrai moyen d'envoi (SMTP, console…), pas la file d'envoi.",
                hint="Variable d'environnement EMAIL_BACKEND, par exemple django.core.mail.backends.smtp.EmailBackend.",
                id="outbox.E001",
            )
        ]
    return []
