"""The e-mails sent to registrants: queued in the outbox with the decision, built by the worker.

Each kind has a French subject below and two templates,
``registrations/emails/<kind>.txt`` and ``<kind>.html``. Every e-mail carries
the signed self-service link; confirmations carry the event's .ics.

``queue_email`` is the services' one way to send: it writes an outbox row in
the transaction of the decision (both commit or neither) and leaves the
rendering (templates, calendar file: several times the cost of the decision
itself) to the worker, outside the event's lock.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import clean_line
from events.ical import event_calendar_bytes
from home.models import SiteSettings
from outbox.delivery import queue_built_later
from registrations import tokens
from registrations.models import Registration

ASSOCIATION_NAME = "La Coursive Boutaric"
ASSOCIATION_ADDRESS = "33 place Galilée, 21000 Dijon"

SUBJECTS = {
    "confirmed": _("Inscription confirmée : %(title)s"),
    "waitlisted": _("Liste d'attente : %(title)s"),
    "pending": _("Demande d'inscription reçue : %(title)s"),
    "approved": _("Inscription acceptée : %(title)s"),
    "rejected": _("Demande d'inscription non retenue : %(title)s"),
    "promoted": _("Une place s'est libérée : %(title)s"),
    "cancelled": _("Inscription annulée : %(title)s"),
    "reminder": _("Rappel : %(title)s, %(date)s"),
    "already_registered": _("Vous êtes déjà inscrit·e : %(title)s"),
    "event_cancelled": _("Événement annulé : %(title)s"),
    "event_moved": _("Changement de date ou de lieu : %(title)s"),
    "event_postponed": _("Événement reporté : %(title)s"),
}
KINDS_WITH_CALENDAR = {"confirmed", "approved", "promoted", "reminder", "event_moved"}


def association_details(page):
    """Name and postal address for the footer: the site settings when filled in.

    The settings' address often starts with the name itself; the footer says it once.
    """
    site = page.get_site()
    address = ""
    if site is not None:
        lines = [line.strip() for line in SiteSettings.for_site(site).address.splitlines()]
        address = ", ".join(line for line in lines if line and line.casefold() != ASSOCIATION_NAME.casefold())
    return ASSOCIATION_NAME, address or ASSOCIATION_ADDRESS


def site_root_url(page):
    """The public root URL of the page's site (for links in e-mails)."""
    parts = page.get_url_parts()
    if parts and parts[1]:
        return parts[1]
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def manage_url(registration):
    path = reverse("registrations:manage", args=[tokens.make_manage_value(registration)])
    return site_root_url(registration.event) + path


def email_subject(event, kind):
    """A header is one line: titles typed before the input was cleaned may hold line breaks."""
    return clean_line(SUBJECTS[kind] % {"title": event.title, "date": event.dates_display})


def build_email(registration, kind):
    """The complete message (text, HTML, .ics when useful) for one registration."""
    event = registration.event
    association_name, association_address = association_details(event)
    context = {
        "registration": registration,
        "event": event,
        "event_url": event.get_full_url() or site_root_url(event),
        "event_when": event.dates_display,
        "manage_url": manage_url(registration),
        "position": registration.waitlist_position(),
        "association_name": association_name,
        "association_address": association_address,
        "contact_email": event.contact_email or settings.DEFAULT_FROM_EMAIL,
    }
    subject = email_subject(event, kind)
    text = render_to_string(f"registrations/emails/{kind}.txt", context)
    html = render_to_string(f"registrations/emails/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
        reply_to=[event.contact_email] if event.contact_email else None,
    )
    message.attach_alternative(html, "text/html")
    if kind in KINDS_WITH_CALENDAR:
        message.attach(f"{event.slug}.ics", event_calendar_bytes(event), "text/calendar")
    return message


def build_registration_email(registration_id, kind):
    """The outbox's builder: the message as of now, or None once the registration is gone or erased."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.anonymized_at or not registration.email:
        return None
    return build_email(registration, kind)


def queue_email(registration, kind):
    """Queue the e-mail in the current transaction: it leaves only if the decision commits."""
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown e-mail kind: {kind}")
    if not registration.email:
        return None  # signed up by phone without an address: staff keep them informed
    return queue_built_later(
        build_registration_email,
        (registration.pk, kind),
        recipients=[registration.email],
        subject=email_subject(registration.event, kind),
    )
