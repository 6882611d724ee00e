"""Telling the team of pre-registration requests to review: one e-mail per request, or one digest a day.

Who is told: the event's contact address, or, when it is empty, the active
members of « Gestion des inscriptions » who have an address. Each event's
``staff_notification`` says how (``StaffNotification``): per event, because
the contact is per event too (a partner running one workshop wants each
request, the team reviewing a dozen workshops prefers one e-mail a morning).

Everything is queued through the outbox in the caller's transaction, like the
registrants' e-mails (``registrations/emails.py``); the worker renders them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import clean_line
from outbox.delivery import queue_built_later
from registrations.admin.permissions import MANAGERS_GROUP
from registrations.booking import BookableUnit
from registrations.emails import email_subject
from registrations.exports import format_answer
from registrations.models import (
    Registration,
    RegistrationMode,
    RegistrationStatus,
    RequestDigest,
    StaffNotification,
)


def staff_recipients(event):
    """The event's contact address, else the registrations group's active members (sorted, no duplicates)."""
    if event.contact_email:
        return [event.contact_email]
    users = get_user_model().objects.filter(is_active=True, groups__name=MANAGERS_GROUP).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def review_url(event, occurrence=None):
    """The staff page of the event (of the date, for a series), at its « Demandes à valider » section."""
    path = reverse("inscriptions:event", args=[event.pk])
    if occurrence is not None:
        path += f"?date={occurrence.pk}"
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}#pending-title"


def answers_summary(registration):
    """(question, answer) for each question of the event the person answered, in the form's order."""
    answers = registration.answers or {}
    return [
        (question.label, format_answer(answers[question.answer_key]))
        for question in registration.event.registration_questions.all()
        if question.answer_key in answers
    ]


def _waiting_requests():
    """Requests still to review, of upcoming events (or dates of a series), oldest first (erased ones left out)."""
    now = timezone.now()
    upcoming = Q(occurrence__isnull=True, event__start__gt=now) | Q(occurrence__start__gt=now)
    return (
        Registration.objects.filter(status=RegistrationStatus.PENDING, anonymized_at__isnull=True)
        .filter(upcoming)
        .select_related("event", "occurrence")
        .order_by("event__start", "event_id", "created_at", "id")
    )


# ---------------------------------------------------------------------------
# One e-mail per request


def queue_request_notice(registration):
    """Queue the « demande à valider » e-mail, in the caller's transaction, when the event wants one per request."""
    event = registration.event
    if event.staff_notification != StaffNotification.EACH:
        return None
    recipients = staff_recipients(event)
    if not recipients:
        return None  # nobody to tell: the requests still show on the dashboard
    return queue_built_later(
        build_request_notice,
        (registration.pk, recipients),
        recipients=recipients,
        subject=email_subject(event, "staff_request", registration.occurrence if registration.occurrence_id else None),
    )


def build_request_notice(registration_id, recipients):
    """The outbox's builder: None once the request has been decided or erased (nothing left to review)."""
    registration = (
        Registration.objects.select_related("event", "occurrence")
        .filter(pk=registration_id, status=RegistrationStatus.PENDING, anonymized_at__isnull=True)
        .first()
    )
    if registration is None:
        return None
    event = registration.event
    unit = BookableUnit.of_registration(registration)  # a request for one date of a series names that date
    context = {
        "registration": registration,
        "event": event,
        "event_when": unit.dates_display,
        "answers": answers_summary(registration),
        "review_url": review_url(event, unit.occurrence),
        "waiting": unit.registrations.filter(status=RegistrationStatus.PENDING).count(),
    }
    subject = email_subject(event, "staff_request", unit.occurrence)
    message = _message(subject, "staff_request", context, recipients)
    message.reply_to = [registration.email]  # a question for the person is one « Répondre » away
    return message


# ---------------------------------------------------------------------------
# The daily digest


def _digest_by_address():
    """{address: [(event, [requests…]), …]} for the events whose team chose the digest."""
    by_address = {}
    events = {}
    for registration in _waiting_requests().filter(
        event__staff_notification=StaffNotification.DIGEST, event__registration_mode=RegistrationMode.REVIEW
    ):
        events.setdefault(registration.event_id, (registration.event, []))[1].append(registration)
    for event, requests in events.values():
        for address in staff_recipients(event):
            by_address.setdefault(address, []).append((event, requests))
    return by_address


def send_request_digest(today=None):
    """Queue today's digest to each address with requests waiting; idempotent per day.

    Returns the number of e-mails queued, or None when today's digest was
    already queued (a second cron run, or two at once: the day's
    ``RequestDigest`` row is unique). A day without requests records nothing
    and sends nothing, so a later run that day still reports new requests.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        if RequestDigest.objects.filter(day=today).exists():
            return None
        by_address = _digest_by_address()
        if not by_address:
            return 0
        try:
            with transaction.atomic():
                RequestDigest.objects.create(day=today, recipients=len(by_address))
        except IntegrityError:
            return None
        for address, events in by_address.items():
            queue_built_later(
                build_request_digest,
                (address,),
                recipients=[address],
                subject=_digest_subject(sum(len(requests) for _event, requests in events)),
            )
    return len(by_address)


def _digest_subject(count):
    return ngettext(
        "%(count)d demande d'inscription à valider", "%(count)d demandes d'inscription à valider", count
    ) % {"count": count}


def build_request_digest(address):
    """The outbox's builder: the requests still waiting when it is sent, or None when none is left."""
    events = _digest_by_address().get(address)
    if not events:
        return None
    context = {
        "events": [
            {
                "event": event,
                "event_when": event.dates_display,
                "review_url": review_url(event),
                "requests": [(request, answers_summary(request)) for request in requests],
            }
            for event, requests in events
        ],
    }
    subject = _digest_subject(sum(len(requests) for _event, requests in events))
    return _message(subject, "staff_digest", context, [address])


def _message(subject, template, context, recipients):
    context = {**context, "site_name": _("La Coursive Boutaric")}
    message = EmailMultiAlternatives(
        subject=clean_line(subject),
        body=render_to_string(f"registrations/emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(recipients),
    )
    message.attach_alternative(render_to_string(f"registrations/emails/{template}.html", context), "text/html")
    return message
