"""The e-mails sent to registrants: queued in the outbox with the decision, built by the worker.

Each kind has a French subject below and two templates,
``registrations/emails/<kind>.txt`` and ``<kind>.html``. Every e-mail carries
the signed self-service link; confirmations and updates carry the event's
.ics, cancellations and rejections the .ics that removes it (METHOD:CANCEL);
confirmations carry the check-in QR code (``qrcodes.py``) as an inline PNG.

``queue_email`` is the services' one way to send: it writes an outbox row in
the transaction of the decision (both commit or neither) and leaves the
rendering (templates, calendar file: several times the cost of the decision
itself) to the worker, outside the event's lock.
"""

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import format_datetime, format_short_datetime
from core.text import clean_line
from events.ical import event_calendar_bytes, occurrence_calendar
from home.models import SiteSettings
from outbox.delivery import queue_built_later
from registrations import documents, qrcodes, tokens
from registrations.booking import BookableUnit
from registrations.models import Attendee, Registration

ASSOCIATION_NAME = "La Coursive Boutaric"
ASSOCIATION_ADDRESS = "33 place Galilée, 21000 Dijon"

SUBJECTS = {
    "confirmed": _("Inscription confirmée : %(title)s"),
    "waitlisted": _("Liste d'attente : %(title)s"),
    "pending": _("Demande d'inscription reçue : %(title)s"),
    "approved": _("Inscription acceptée : %(title)s"),
    "rejected": _("Demande d'inscription non retenue : %(title)s"),
    "promoted": _("Une place s'est libérée : %(title)s"),
    "offered": _("Une place vous est proposée : %(title)s"),
    "offer_reminder": _("Rappel : une place vous attend, %(title)s"),
    "offer_expired": _("Place proposée à la personne suivante : %(title)s"),
    "verify": _("Confirmez votre adresse e-mail : %(title)s"),
    "unverified_expired": _("Demande d'inscription annulée : %(title)s"),
    "payment_expired": _("Paiement non reçu, demande annulée : %(title)s"),
    "payment_late": _("Paiement reçu après l'annulation : %(title)s"),
    "cancelled": _("Inscription annulée : %(title)s"),
    "seat_cancelled": _("Une place annulée sur votre inscription : %(title)s"),
    "documents": _("Vos documents (reçus, facture, attestations) : %(title)s"),
    "reminder": _("Rappel : %(title)s, %(date)s"),
    "already_registered": _("Vous êtes déjà inscrit·e : %(title)s"),
    "event_cancelled": _("Événement annulé : %(title)s"),
    "event_moved": _("Changement de date ou de lieu : %(title)s"),
    "event_postponed": _("Événement reporté : %(title)s"),
    # One date of a series (``services.cancel_occurrence`` / ``change_occurrence``): only its people.
    "date_cancelled": _("Date annulée : %(title)s"),
    "date_changed": _("Changement pour votre date : %(title)s"),
    # To the team, not to the registrant (``registrations/staff_notices.py``).
    "staff_request": _("Demande d'inscription à valider : %(title)s"),
}
KINDS_WITH_CALENDAR = {
    "confirmed",
    "approved",
    "promoted",
    "reminder",
    "event_moved",
    "event_postponed",
    "date_changed",
}
# These remove the event from the person's calendar: METHOD:CANCEL, same UID (``events/ical.py``).
KINDS_WITH_CANCELLATION = {"cancelled", "rejected", "event_cancelled", "date_cancelled"}
STAFF_KINDS = {"staff_request"}
KINDS_WITH_CHECK_IN_CODE = {"confirmed", "approved", "promoted", "reminder"}
CHECK_IN_CODE_CID = "code-entree"
CHECK_IN_CODE_FILENAME = "code-entree.png"


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


def email_subject(event, kind, occurrence=None):
    """A header is one line: titles typed before the input was cleaned may hold line breaks.

    For one date of a series the title carries that date: a person booked on
    several dates tells the messages apart in their mailbox.
    """
    if occurrence is None:
        return clean_line(SUBJECTS[kind] % {"title": event.title, "date": event.dates_display})
    unit = BookableUnit(event, occurrence)
    title = f"{event.title} ({format_short_datetime(occurrence.start)})"
    return clean_line(SUBJECTS[kind] % {"title": title, "date": unit.dates_display})


def unit_calendar_bytes(unit, request=None, cancel=False):
    """The .ics of the booked unit: the date's own VEVENT for a series, else the event's."""
    if unit.occurrence is not None:
        return occurrence_calendar(unit.occurrence, request=request, cancel=cancel).to_ical()
    return event_calendar_bytes(unit.event, request, cancel=cancel)


def build_email(registration, kind, *, attendee=None):
    """The complete message (text, HTML, .ics and QR code when useful) for one registration.

    ``attendee``: the person whose seat the message is about (``seat_cancelled``).
    """
    event = registration.event
    unit = BookableUnit.of_registration(registration)
    association_name, association_address = association_details(event)
    context = {
        "registration": registration,
        "event": event,
        "unit": unit,
        "event_venue": unit.venue,
        "event_url": event.get_full_url() or site_root_url(event),
        "event_when": unit.dates_display,
        "manage_url": manage_url(registration),
        "position": registration.waitlist_position(),
        "expires_when": format_datetime(registration.expires_at) if registration.expires_at else "",
        "association_name": association_name,
        "association_address": association_address,
        "contact_email": event.contact_email or settings.DEFAULT_FROM_EMAIL,
        "attendee": attendee,
        "attendees": list(registration.attendees.filter(cancelled_at__isnull=True)),
        "check_in_code_cid": CHECK_IN_CODE_CID if kind in KINDS_WITH_CHECK_IN_CODE else "",
        "documents": documents.registration_documents(registration) if kind == "documents" else [],
    }
    subject = email_subject(event, kind, unit.occurrence)
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
        message.attach(f"{event.slug}.ics", unit_calendar_bytes(unit), "text/calendar")
    elif kind in KINDS_WITH_CANCELLATION:
        message.attach(f"{event.slug}.ics", unit_calendar_bytes(unit, cancel=True), "text/calendar; method=CANCEL")
    if kind in KINDS_WITH_CHECK_IN_CODE:
        message.attach(check_in_code_image(registration))
    if kind == "documents":  # drawn now, by the worker: the PDFs say what is true when the message leaves
        for document in documents.registration_documents(registration):
            filename, content = documents.render_document(registration, document.kind, document.pk)
            message.attach(filename, content, "application/pdf")
    return message


def check_in_code_image(registration):
    """The QR code as an inline image the HTML shows (``cid:``); plain-text readers get it as a file."""
    image = MIMEImage(qrcodes.check_in_png(registration), "png")
    image.add_header("Content-ID", f"<{CHECK_IN_CODE_CID}>")
    image.add_header("Content-Disposition", "inline", filename=CHECK_IN_CODE_FILENAME)
    return image


def build_registration_email(registration_id, kind, attendee_id=None):
    """The outbox's builder: the message as of now, or None once the registration is gone or erased."""
    registration = Registration.objects.select_related("event", "occurrence").filter(pk=registration_id).first()
    if registration is None or registration.anonymized_at or not registration.email:
        return None
    attendee = Attendee.objects.filter(pk=attendee_id, registration=registration).first() if attendee_id else None
    return build_email(registration, kind, attendee=attendee)


def queue_email(registration, kind, *, attendee=None):
    """Queue the e-mail in the current transaction: it leaves only if the decision commits."""
    if kind not in SUBJECTS or kind in STAFF_KINDS:
        raise ValueError(f"Unknown e-mail kind: {kind}")
    if not registration.email:
        return None  # signed up by phone without an address: staff keep them informed
    args = (registration.pk, kind) if attendee is None else (registration.pk, kind, attendee.pk)
    return queue_built_later(
        build_registration_email,
        args,
        recipients=[registration.email],
        subject=email_subject(registration.event, kind, BookableUnit.of_registration(registration).occurrence),
    )
