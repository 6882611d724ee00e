"""The outbox's life cycle: queued in the caller's transaction, delivered once, retried, failed visibly.

Queueing writes the message row and its delivery task in the transaction of
what caused the mail: with the database task queue (production) both commit
or roll back with the registration, so a crash between the commit and the
enqueue cannot lose a mail. The immediate task backend (development, tests)
runs the task at once, so there the task is started once the transaction
commits.

Delivery (``deliver``) claims the row under a row lock (``queued`` →
``sending``) in a short transaction, talks to the mail server outside any
transaction, then marks the row ``sent``. Two workers given the same task
cannot both send: the second finds the row claimed or sent. The one window
left is a worker killed after the server accepted the message and before
``sent`` is written: the row stays ``sending`` and, once ``SENDING_LEASE`` has
passed, ``requeue_lost`` sends it again (at least once, never lost; the
Message-ID is the same, so the recipient's server can tell).

A failed attempt is retried after ``RETRY_DELAYS`` (about a day and a half
in all); after the last one, or at once when retrying cannot help (a 5xx
answer, a broken header), the row is marked ``failed`` with the reason in
French and the task ends as failed. Staff see it in "E-mails envoyés" and may
send it again.
"""

import datetime
import logging
from contextlib import suppress

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from outbox.errors import describe, is_permanent
from outbox.models import OutgoingEmail
from outbox.models import OutgoingEmailStatus as Status
from outbox.stored import StoredEmail, mime_bytes

logger = logging.getLogger(__name__)

# Waits before each new attempt: 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 12 h (34 h 21 min in all).
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=3),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
    datetime.timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A due message whose task has not started after this long has lost its task (worker killed, queue wiped).
LOST_AFTER = datetime.timedelta(minutes=10)
# No attempt lasts this long (each SMTP step times out after EMAIL_TIMEOUT): its worker died.
SENDING_LEASE = datetime.timedelta(minutes=15)
# Staff are warned about messages still waiting this long after they were due.
LATE_AFTER = datetime.timedelta(hours=1)


class DeliveryFailed(Exception):
    """The message is marked failed; raised so that its task ends as failed, not successful."""


# ---------------------------------------------------------------------------
# Queueing (in the caller's transaction)


def queue_messages(messages):
    """Store ready-made messages and schedule their delivery, in the current transaction; returns the rows.

    Raises ``BadHeaderError`` for a message that could not be sent (a line break
    in its subject): nothing of the batch is queued then.
    """
    now = timezone.now()
    rows = []
    with transaction.atomic():
        for message in messages:
            recipients = message.recipients()
            if not recipients:
                continue
            rows.append(
                _queue(
                    now,
                    recipients,
                    mime=mime_bytes(message),
                    from_email=message.from_email or "",
                    subject=str(message.subject),
                )
            )
    return rows


def queue_built_later(builder, args, *, recipients, subject):
    """Queue a message that the worker builds when it sends it (rendering stays out of the caller's locks).

    ``builder(*args)`` is a module-level function returning the ``EmailMessage``,
    or ``None`` when there is nothing left to send; ``args`` must be JSON values.
    ``recipients`` and ``subject`` are shown in the listing until it is built.
    """
    path = f"{builder.__module__}.{builder.__qualname__}"
    with transaction.atomic():
        return _queue(timezone.now(), recipients, builder=path, builder_args=list(args), subject=str(subject))


def _queue(now, recipients, **fields):
    # Always inside atomic(): with the immediate backend the task must start after this row is committed.
    row = OutgoingEmail(status=Status.QUEUED, next_attempt_at=now, recipients=",".join(recipients), **fields)
    row.task_id = _schedule(row.pk)
    row.save(force_insert=True)
    return row


def _schedule(email_id, run_after=None):
    """Enqueue the delivery task; returns its id ("" when it starts after commit or waits for ``requeue_lost``)."""
    backend = deliver_email.get_backend()
    if isinstance(backend, ImmediateBackend):
        if run_after is None:
            transaction.on_commit(lambda: deliver_email.enqueue(str(email_id)))
        return ""  # an immediate backend cannot wait: ``send_queued_emails`` retries once due
    if run_after is not None and not backend.supports_defer:
        return ""
    delivery = deliver_email.using(run_after=run_after) if run_after is not None else deliver_email
    return str(delivery.enqueue(str(email_id)).id)


# ---------------------------------------------------------------------------
# Delivery (in the worker)


@task()
def deliver_email(email_id):
    """Deliver one stored message: "sent", "retry", "skipped" (already sent or claimed), "discarded"."""
    return deliver(email_id)


def deliver(email_id):
    row = _claim(email_id)
    if row is None:
        return "skipped"
    try:
        message = _message_of(row)
        if message is None:
            OutgoingEmail.objects.filter(pk=row.pk).delete()  # nothing left to send (e.g. the person was erased)
            return "discarded"
        _send(message)
    except Exception as error:  # every failure is recorded on the row, retried or marked failed
        return _record_failure(row, error)
    _record_sent(row)
    return "sent"


def _claim(email_id):
    """Lock the row and mark it ``sending`` if it is due and nobody else is on it; None otherwise."""
    now = timezone.now()
    with transaction.atomic():
        row = OutgoingEmail.objects.filter(pk=email_id).select_for_update().first()
        if row is None or not _claimable(row, now):
            return None
        row.status = Status.SENDING
        row.claimed_at = row.last_attempt_at = now
        row.attempts += 1
        row.save(update_fields=["status", "claimed_at", "last_attempt_at", "attempts"])
    return row


def _claimable(row, now):
    if row.status == Status.QUEUED:
        return row.next_attempt_at is None or row.next_attempt_at <= now
    if row.status == Status.SENDING:  # its worker died mid-attempt
        return row.claimed_at is None or row.claimed_at <= now - SENDING_LEASE
    return False


def _message_of(row):
    """The message as it will be sent: built now (once) if it was queued with a builder."""
    if row.mime is None:
        if not row.builder:
            raise ValueError("neither a message nor a builder")
        built = import_string(row.builder)(*row.builder_args)
        if built is None:
            return None
        row.mime = mime_bytes(built)
        row.from_email = built.from_email or ""
        row.recipients = ",".join(built.recipients())
        row.subject = str(built.subject)
        # Kept at once: a retry sends the very same message (same Message-ID), not a new rendering.
        row.save(update_fields=["mime", "from_email", "recipients", "subject"])
    return StoredEmail(row.mime, row.from_email, row.recipient_list)


def _send(message):
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
    connection.open()
    try:
        if not connection.send_messages([message]):
            raise RuntimeError("the mail backend accepted no message")
    finally:
        # Once the server has the message, a failing QUIT must not count as a failed delivery.
        with suppress(Exception):
            connection.close()


def _record_sent(row):
    done = OutgoingEmail.objects.filter(pk=row.pk, status=Status.SENDING, claimed_at=row.claimed_at).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_at=None, next_attempt_at=None, last_error=""
    )
    if not done:
        logger.warning("E-mail %s was sent, but another attempt had taken it over meanwhile", row.pk)


def _record_failure(row, error):
    """Retry later (the row and its next task in one transaction), or mark failed and fail the task."""
    reason = describe(error)
    final = is_permanent(error) or row.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        if final:
            OutgoingEmail.objects.filter(pk=row.pk).update(
                status=Status.FAILED, last_error=reason, claimed_at=None, next_attempt_at=None
            )
        else:
            next_attempt_at = timezone.now() + RETRY_DELAYS[row.attempts - 1]
            OutgoingEmail.objects.filter(pk=row.pk).update(
                status=Status.QUEUED,
                last_error=reason,
                claimed_at=None,
                next_attempt_at=next_attempt_at,
                task_id=_schedule(row.pk, run_after=next_attempt_at),
            )
    # The class only: the reason may hold an address, and logs keep nothing personal.
    logger.warning("E-mail %s: attempt %s/%s failed (%s)", row.pk, row.attempts, MAX_ATTEMPTS, type(error).__name__)
    if final:
        logger.error("E-mail %s marked failed after %s attempt(s)", row.pk, row.attempts)
        raise DeliveryFailed(reason) from error
    return "retry"


# ---------------------------------------------------------------------------
# Operations: lost tasks, staff's "Renvoyer", retention, the dashboard


def requeue_lost():
    """Give a new task to every due message whose task was lost (worker killed, task never run); returns how many.

    A message whose task still waits in the queue is left alone (a stopped
    worker will run it when it starts), so running this often adds nothing.
    """
    now = timezone.now()
    backend = deliver_email.get_backend()
    grace = datetime.timedelta(0) if isinstance(backend, ImmediateBackend) else LOST_AFTER
    overdue = OutgoingEmail.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now - grace)
        | Q(status=Status.SENDING, claimed_at__lte=now - SENDING_LEASE)
    ).order_by("next_attempt_at")
    count = 0
    for email_id, task_id in overdue.values_list("pk", "task_id"):
        if _task_waiting(backend, task_id):
            continue
        with transaction.atomic():
            OutgoingEmail.objects.filter(pk=email_id).update(task_id=_schedule(email_id))
        count += 1
    return count


def _task_waiting(backend, task_id):
    if not task_id or not backend.supports_get_result:
        return False
    try:
        return backend.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def resend(email_id):
    """Queue a failed message again with a fresh series of attempts; False if it was not failed."""
    with transaction.atomic():
        row = OutgoingEmail.objects.filter(pk=email_id, status=Status.FAILED).select_for_update().first()
        if row is None:
            return False
        row.status = Status.QUEUED
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.task_id = _schedule(row.pk)
        row.save(update_fields=["status", "attempts", "next_attempt_at", "task_id"])
    return True


def _finished_before(before):
    """Sent, or failed for good, before ``before``: what the retention period lets go."""
    finished = Q(status=Status.SENT, sent_at__lt=before) | Q(status=Status.FAILED, last_attempt_at__lt=before)
    return OutgoingEmail.objects.filter(finished)


def purge(before):
    """Delete the messages finished before ``before`` (they hold personal data); returns how many."""
    deleted, _by_model = _finished_before(before).delete()
    return deleted


def purgeable_count(before):
    return _finished_before(before).count()


def problems():
    """What the dashboard warns about: failed messages, and messages waiting long after they were due."""
    late = timezone.now() - LATE_AFTER
    return {
        "failed": OutgoingEmail.objects.filter(status=Status.FAILED).count(),
        "late": OutgoingEmail.objects.filter(
            Q(status=Status.QUEUED, next_attempt_at__lte=late) | Q(status=Status.SENDING, claimed_at__lte=late)
        ).count(),
    }
