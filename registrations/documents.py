"""The documents of paid workshops, in French PDF (fpdf2): receipts, invoices, attendance certificates.

Each has a ``*_data`` function (what it says, testable without a PDF) and a
``*_pdf`` function drawing it on A4 with the association's identity
(``BillingSettings``) at the top. Same font as the sign-in sheet (Source
Sans Pro embedded, Helvetica/Latin-1 as the fallback).

Attendance: for a course with sessions (``EventPage.sessions``), the sessions
where the person's presence was recorded (``SessionPresence``), each with its
date and hours; otherwise the event's own dates when the person was checked
in (``Attendee.checked_in_at``). Nobody gets a certificate for hours they were
not seen at.
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.dates import format_date, format_event_dates, to_local
from registrations.models import BillingSettings, PaymentKind, SessionPresence
from registrations.payments import PaymentError, euros, money_of
from registrations.signin_sheet import FALLBACK_FAMILY, FONT_FAMILY, printable, to_latin1, unicode_font_files

logger = logging.getLogger(__name__)


def billing_settings(event):
    """The association's identity for documents of ``event`` (its site's settings, else the defaults)."""
    site = event.get_site()
    return BillingSettings.for_site(site) if site is not None else BillingSettings()


def format_duration(duration):
    """« 7 h », « 3 h 30 », « 21 h » from a timedelta (non-breaking spaces, as in ``core.dates``)."""
    minutes = round(duration.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
    return text.replace(" ", "\u00a0")


# ---------------------------------------------------------------------------
# What each document says


def receipt_data(payment):
    registration = payment.registration
    event = registration.event
    if payment.kind != PaymentKind.PAYMENT or not payment.receipt_number:
        raise PaymentError(_("Seul un paiement a un reçu."))
    return {
        "title": _("Reçu n° %(number)s") % {"number": payment.receipt_number},
        "lines": [
            (_("Reçu de"), _join(registration.full_name, registration.organisation)),
            (_("La somme de"), euros(payment.amount)),
            (_("Moyen de paiement"), _join(payment.get_method_display(), payment.note)),
            (_("Date du paiement"), format_date(payment.paid_on)),
            (_("Pour"), f"{event.title}, {event.dates_display}"),
        ],
        "people": _people_lines(registration),
        "filename": f"recu-{payment.receipt_number}.pdf",
        "place_date": payment.recorded_at or timezone.now(),
    }


def invoice_data(invoice):
    registration = invoice.registration
    event = registration.event
    account = money_of(registration)
    rows = [
        (
            f"{event.title} — {event.dates_display} — {person.full_name} ({person.price_tier.label})",
            person.price_amount,
        )
        for person in registration.attendees.filter(cancelled_at__isnull=True, price_tier__isnull=False)
        .select_related("price_tier")
        .order_by("position")
    ]
    return {
        "title": _("Facture n° %(number)s") % {"number": invoice.number},
        "customer": [
            invoice.customer_name,
            *[line.strip() for line in invoice.customer_address.splitlines() if line.strip()],
            *([_("SIRET %(siret)s") % {"siret": invoice.customer_siret}] if invoice.customer_siret else []),
        ],
        "date": format_date(invoice.issued_on),
        "rows": rows,
        "total": invoice.total,
        "paid": account.net_paid,
        "left": max(invoice.total - account.net_paid, Decimal("0.00")),
        "filename": f"facture-{invoice.number}.pdf",
        "place_date": invoice.issued_on,
    }


@dataclass
class Attendance:
    """What a certificate states: the periods attended, their total, and the planned total."""

    periods: list = field(default_factory=list)  # [(dates text, duration)]
    attended: datetime.timedelta = datetime.timedelta()
    planned: datetime.timedelta = datetime.timedelta()


def _length(start, end):
    return (end - start) if end and end > start else datetime.timedelta()


def attendance_of(attendee):
    """The sessions (or the event) this person was seen at, with their hours."""
    event = attendee.registration.event
    sessions = list(event.sessions.order_by("start", "pk"))
    result = Attendance()
    if sessions:
        seen = set(SessionPresence.objects.filter(attendee=attendee).values_list("session_id", flat=True))
        for session in sessions:
            result.planned += _length(session.start, session.end)
            if session.pk in seen:
                length = _length(session.start, session.end)
                result.periods.append((_join(format_event_dates(session.start, session.end), session.title), length))
                result.attended += length
        return result
    result.planned = _length(event.start, event.end)
    if attendee.checked_in_at:
        result.periods.append((event.dates_display, result.planned))
        result.attended = result.planned
    return result


def certificate_data(attendee):
    registration = attendee.registration
    event = registration.event
    if attendee.cancelled_at is not None:
        raise PaymentError(_("La place de cette personne a été annulée : pas d'attestation."))
    attendance = attendance_of(attendee)
    if not attendance.periods:
        raise PaymentError(
            _("Aucune présence n'est enregistrée pour %(name)s : pas d'attestation.") % {"name": attendee.full_name}
        )
    identity = billing_settings(event)
    signatory = identity.signatory or _("La personne responsable de l'association")
    statement = _(
        "%(signatory)s, pour %(association)s, atteste que %(name)s a suivi « %(title)s » "
        "aux dates et heures suivantes :"
    ) % {"signatory": signatory, "association": identity.legal_name, "name": attendee.full_name, "title": event.title}
    total = ""
    if attendance.attended:  # an event without an end time has no hours to state, only its dates
        total = _("Durée suivie : %(attended)s") % {"attended": format_duration(attendance.attended)}
    if total and attendance.planned and attendance.planned != attendance.attended:
        total += _(" sur %(planned)s prévues") % {"planned": format_duration(attendance.planned)}
    return {
        "title": _("Attestation de présence"),
        "statement": statement,
        "periods": [(text, format_duration(length) if length else "") for text, length in attendance.periods],
        "total": total,
        "place": event.venue.full_address if event.venue_id else "",
        "filename": certificate_filename(attendee),
        "place_date": timezone.now(),
        "signatory": signatory,
    }


def _join(*parts):
    return " — ".join(str(part) for part in parts if part)


def _people_lines(registration):
    return [
        _join(person.full_name, f"{person.price_tier.label} ({euros(person.price_amount)})")
        for person in registration.attendees.filter(cancelled_at__isnull=True, price_tier__isnull=False)
        .select_related("price_tier")
        .order_by("position")
    ]


# ---------------------------------------------------------------------------
# Drawing


class _Document:
    """An A4 page with the association's identity at the top and « Fait à …, le … » at the foot."""

    def __init__(self, event, title):
        self.identity = billing_settings(event)
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        paths = unicode_font_files()
        if paths is None:
            logger.warning("Police Unicode introuvable : document en Helvetica (Latin-1).")
            self.family, self.text = FALLBACK_FAMILY, lambda value: to_latin1(printable(value))
        else:
            for style, path in paths.items():
                self.pdf.add_font(FONT_FAMILY, style, path)
            self.family, self.text = FONT_FAMILY, printable
        self.pdf.set_title(self.text(title))
        self.pdf.set_author(self.text(self.identity.legal_name))
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.add_page()
        self.pdf.set_font(self.family, "B", 11)
        lines = self.identity.identity_lines()
        self.line(lines[0], bold=True)
        for line in lines[1:]:
            self.line(line, size=9)
        self.pdf.ln(8)
        self.pdf.set_font(self.family, "B", 16)
        self.pdf.cell(0, 10, self.text(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(3)

    def line(self, text, *, bold=False, size=10, height=6):
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, height, self.text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pair(self, label, value):
        self.pdf.set_font(self.family, "B", 10)
        self.pdf.cell(48, 7, self.text(label))
        self.pdf.set_font(self.family, "", 10)
        self.pdf.multi_cell(0, 7, self.text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def signed(self, moment, signatory=""):
        self.pdf.ln(8)
        day = format_date(to_local(moment).date() if isinstance(moment, datetime.datetime) else moment)
        self.line(_("Fait à %(city)s, le %(day)s") % {"city": self.identity.city, "day": day})
        if signatory:
            self.line(signatory)

    def output(self):
        return bytes(self.pdf.output())


def receipt_pdf(payment):
    data = receipt_data(payment)
    document = _Document(payment.registration.event, data["title"])
    for label, value in data["lines"]:
        document.pair(label, value)
    if data["people"]:
        document.pdf.ln(3)
        document.line(_("Participant·es"), bold=True)
        for line in data["people"]:
            document.line(f"• {line}")
    document.signed(data["place_date"])
    return document.output()


def invoice_pdf(invoice):
    data = invoice_data(invoice)
    document = _Document(invoice.registration.event, data["title"])
    document.pair(_("Date"), data["date"])
    document.pdf.ln(2)
    document.line(_("Facturé à"), bold=True)
    for line in data["customer"]:
        document.line(line)
    document.pdf.ln(4)
    pdf = document.pdf
    pdf.set_font(document.family, "B", 10)
    pdf.set_fill_color(230, 230, 230)
    pdf.cell(134, 8, document.text(_("Désignation")), border=1, fill=True)
    pdf.cell(0, 8, document.text(_("Montant")), border=1, fill=True, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(document.family, "", 9)
    for label, amount in data["rows"]:
        y = pdf.get_y()
        pdf.multi_cell(134, 6, document.text(label), border=1, new_x=XPos.RIGHT, new_y=YPos.TOP)
        height = pdf.get_y() - y if pdf.get_y() > y else 6
        pdf.set_xy(pdf.l_margin + 134, y)
        pdf.cell(
            0, max(height, 6), document.text(euros(amount)), border=1, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.set_font(document.family, "B", 10)
    pdf.cell(134, 8, document.text(_("Total à payer")), border=1)
    pdf.cell(0, 8, document.text(euros(data["total"])), border=1, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    document.pdf.ln(3)
    document.line(document.identity.vat_mention, size=9)
    document.line(
        _("Déjà réglé : %(paid)s — reste à payer : %(left)s")
        % {"paid": euros(data["paid"]), "left": euros(data["left"])},
        size=9,
    )
    document.signed(data["place_date"])
    return document.output()


def certificate_pdf(attendee):
    data = certificate_data(attendee)
    document = _Document(attendee.registration.event, data["title"])
    document.line(data["statement"], size=11, height=7)
    document.pdf.ln(2)
    for text, length in data["periods"]:
        document.line(f"• {text}" + (f" ({length})" if length else ""))
    document.pdf.ln(2)
    if data["total"]:
        document.line(data["total"], bold=True)
    if data["place"]:
        document.line(_("Lieu : %(place)s") % {"place": data["place"]}, size=9)
    document.signed(data["place_date"], data["signatory"])
    return document.output()


# ---------------------------------------------------------------------------
# Which documents a registration has


@dataclass(frozen=True)
class Document:
    """One downloadable document: ``kind`` (receipt, invoice, certificate) and the id of what it is drawn from."""

    kind: str
    pk: int
    label: str
    filename: str


def registration_documents(registration):
    """The receipts, invoices and attendance certificates of one registration, in that order."""
    found = [
        Document(
            "receipt",
            payment.pk,
            _("Reçu n° %(number)s") % {"number": payment.receipt_number},
            f"recu-{payment.receipt_number}.pdf",
        )
        for payment in registration.payments.filter(kind=PaymentKind.PAYMENT).exclude(receipt_number="")
    ]
    found += [
        Document(
            "invoice",
            invoice.pk,
            _("Facture n° %(number)s") % {"number": invoice.number},
            f"facture-{invoice.number}.pdf",
        )
        for invoice in registration.invoices.all()
    ]
    for attendee in registration.attendees.filter(cancelled_at__isnull=True).order_by("position"):
        if attendance_of(attendee).periods:
            found.append(
                Document(
                    "certificate",
                    attendee.pk,
                    _("Attestation de présence de %(name)s") % {"name": attendee.full_name},
                    certificate_filename(attendee),
                )
            )
    return found


def certificate_filename(attendee):
    return f"attestation-{attendee.registration.event.slug}-{slugify(attendee.full_name) or attendee.pk}.pdf"


def render_document(registration, kind, pk):
    """(filename, PDF bytes) of one document of ``registration``; LookupError when it has no such document."""
    if kind == "receipt":
        payment = registration.payments.filter(pk=pk, kind=PaymentKind.PAYMENT).exclude(receipt_number="").first()
        if payment is None:
            raise LookupError(pk)
        return receipt_data(payment)["filename"], receipt_pdf(payment)
    if kind == "invoice":
        invoice = registration.invoices.filter(pk=pk).first()
        if invoice is None:
            raise LookupError(pk)
        return invoice_data(invoice)["filename"], invoice_pdf(invoice)
    if kind == "certificate":
        attendee = registration.attendees.filter(pk=pk).first()
        if attendee is None:
            raise LookupError(pk)
        try:
            return certificate_filename(attendee), certificate_pdf(attendee)
        except PaymentError:
            raise LookupError(pk) from None
    raise LookupError(kind)
