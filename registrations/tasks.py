"""Background tasks (django-tasks): e-mails, sent after commit and retried on failure.

django-tasks has no retry of its own: on an SMTP or network error the task
re-enqueues itself with ``run_after`` (exponential back-off) when the backend
can defer (the database queue in production). The immediate backend used in
development cannot defer: the failure is logged and the registration stays.
"""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from registrations.emails import SUBJECTS, send_email_now
from registrations.models import Registration

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY_DELAY = datetime.timedelta(minutes=1)


def retry_delay(attempt):
    """1, 4, 16, 64 minutes…: enough for a mail server to come back."""
    return FIRST_RETRY_DELAY * (4 ** (attempt - 1))


def _retry_later(task_function, args, attempt, what, error):
    """Log a failed delivery and re-enqueue it with back-off; returns "retry" or "failed"."""
    logger.warning("%s failed (attempt %s/%s): %s", what, attempt, MAX_ATTEMPTS, error)
    if attempt >= MAX_ATTEMPTS:
        logger.error("%s abandoned after %s attempts", what, attempt)
        return "failed"
    if not task_function.get_backend().supports_defer:
        logger.error("The task backend cannot defer: %s not retried", what)
        return "failed"
    task_function.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(*args, attempt + 1)
    return "retry"


@task()
def send_registration_email(registration_id, kind, attempt=1):
    """Send one registration e-mail; returns "sent", "skipped", "retry" or "failed"."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.anonymized_at:
        return "skipped"
    try:
        send_email_now(registration, kind)
    except OSError as error:  # smtplib.SMTPException is an OSError too
        what = f"E-mail {kind} for registration {registration_id}"
        return _retry_later(send_registration_email, (registration_id, kind), attempt, what, error)
    return "sent"


@task()
def send_attendee_message(registration_id, subject, body, attempt=1):
    """Send the staff's message to one attendee (same queue and retries as the other e-mails)."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None or registration.anonymized_at:
        return "skipped"
    try:
        EmailMessage(subject=subject, body=body, to=[registration.email]).send()
    except OSError as error:
        what = f"Staff message to registration {registration_id}"
        return _retry_later(send_attendee_message, (registration_id, subject, body), attempt, what, error)
    return "sent"


def queue_email(registration, kind):
    """Enqueue the e-mail once the current transaction commits (a failure never undoes the registration)."""
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown e-mail kind: {kind}")
    if not registration.email:
        return  # signed up by phone without an address: staff keep them informed
    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind))
