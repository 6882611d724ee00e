"""Tasks queued before the outbox existed: what an upgraded server may still find in its queue.

E-mails now leave through the outbox (``emails.queue_email``, ``outbox/``).
A deployment upgraded with mail still waiting in the task queue finds tasks
named after these two functions; they hand their mail to the outbox instead of
failing on a missing name. They can go once no such task is left
(``prune_db_task_results`` clears finished ones after 30 days).
"""

from django.core.mail import EmailMessage
from django_tasks import task

from core.text import clean_line
from registrations.emails import queue_email
from registrations.models import Registration


def _reachable(registration_id):
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.anonymized_at or not registration.email:
        return None
    return registration


@task()
def send_registration_email(registration_id, kind, attempt=1):
    registration = _reachable(registration_id)
    if registration is None:
        return "skipped"
    queue_email(registration, kind)
    return "queued"


@task()
def send_attendee_message(registration_id, subject, body, attempt=1):
    registration = _reachable(registration_id)
    if registration is None:
        return "skipped"
    EmailMessage(subject=clean_line(subject), body=body, to=[registration.email]).send()
    return "queued"
