"""System checks: the outbox hands messages to a real transport, and a worker, not the request, talks to it."""

from django.conf import settings
from django.core import checks

OUTBOX_BACKEND = "outbox.backends.OutboxBackend"
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@checks.register(checks.Tags.compatibility)
def delivery_backend_is_a_transport(app_configs, **kwargs):
    found = []
    delivery_backend = getattr(settings, "OUTBOX_DELIVERY_BACKEND", OUTBOX_BACKEND)
    if delivery_backend == OUTBOX_BACKEND:
        found.append(
            checks.Error(
                "OUTBOX_DELIVERY_BACKEND doit nommer le vrai moyen d'envoi (SMTP, console…), pas la file d'envoi.",
                hint="Variable d'environnement EMAIL_BACKEND, par exemple django.core.mail.backends.smtp.EmailBackend.",
                id="outbox.E001",
            )
        )
    if delivery_backend == SMTP_BACKEND and settings.TASKS["default"]["BACKEND"] == IMMEDIATE_TASKS:
        found.append(
            checks.Warning(
                "Avec les tâches immédiates, les e-mails partent vers le serveur SMTP pendant la requête.",
                hint="TASK_BACKEND=django_tasks_db.DatabaseBackend et un `manage.py db_worker` (make worker).",
                id="outbox.W001",
            )
        )
    return found
