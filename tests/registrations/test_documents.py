"""Receipts, invoices and attendance certificates: the text read back from the PDFs with pypdf."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from events.models import CourseSession
from registrations import document_mail, documents, payments, services
from registrations.models import BillingSettings, PaymentMethod, SessionPresence
from tests.registrations.factories import person
from tests.registrations.payment_helpers import make_paid_event

pytestmark = pytest.mark.django_db


def pdf_text(content):
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)  # lines wrapped and non-breaking spaces read back as plain spaces


@pytest.fixture
def identity(home_page):
    site = home_page.get_site()
    settings = BillingSettings.for_site(site)
    settings.siret = "12345678900011"
    settings.signatory = "Camille Dupont, présidente"
    settings.save()
    return settings


@pytest.fixture
def paid(home_page):
    start = timezone.now() + datetime.timedelta(days=20)
    event, full, reduced = make_paid_event(
        home_page, max_seats_per_registration=2, start=start, end=start + datetime.timedelta(hours=3)
    )
    registration = services.register(
        event,
        **person(1, organisation="Centre social"),
        seats=2,
        companions=[{"first_name": "Lou", "last_name": "Petit"}],
        price_tiers=[full.pk, reduced.pk],
    )
    return event, registration


def test_receipt_says_who_paid_what_how_and_for_what(paid, identity):
    event, registration = paid
    payment = payments.record_payment(
        registration, amount="100", method=PaymentMethod.CHEQUE, paid_on=datetime.date(2026, 3, 1), note="Chèque n° 42"
    )
    text = pdf_text(documents.receipt_pdf(payment))
    assert f"Reçu n° {payment.receipt_number}" in text
    for expected in (
        "La Coursive Boutaric",
        "SIRET 12345678900011",
        "Camille Martin1",
        "100,00 €",
        "Chèque — Chèque n° 42",
        "1er mars 2026",
        event.title,
        "Lou Petit — Tarif réduit (60,00 €)",
        "Fait à Dijon",
    ):
        assert expected in text, expected


def test_a_refund_has_no_receipt(paid):
    _event, registration = paid
    payments.record_payment(registration, amount="60", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    refund = payments.record_payment(
        registration, amount="60", method=PaymentMethod.CASH, paid_on=timezone.localdate(), kind="refund"
    )
    with pytest.raises(payments.PaymentError):
        documents.receipt_pdf(refund)


def test_invoice_names_the_organisation_its_siret_and_the_vat_mention(paid, identity):
    _event, registration = paid
    payments.record_payment(registration, amount="30", method=PaymentMethod.TRANSFER, paid_on=timezone.localdate())
    invoice = payments.issue_invoice(
        registration,
        customer_name="Centre social des Grésilles",
        customer_address="2 rue Édouard-Belin\n21000 Dijon",
        customer_siret="98765432100017",
    )
    text = pdf_text(documents.invoice_pdf(invoice))
    for expected in (
        f"Facture n° {invoice.number}",
        "Centre social des Grésilles",
        "2 rue Édouard-Belin",
        "SIRET 98765432100017",
        "SIRET 12345678900011",
        "Camille Martin1 (Plein tarif)",
        "Lou Petit (Tarif réduit)",
        "180,00 €",
        "TVA non applicable, art. 293 B du CGI",
        "Déjà réglé : 30,00 € — reste à payer : 150,00 €",
    ):
        assert expected in text, expected


def test_certificate_from_the_check_in_of_a_single_event(paid, identity):
    event, registration = paid
    person_one = registration.attendees.get(position=1)
    with pytest.raises(payments.PaymentError, match="Aucune présence"):
        documents.certificate_pdf(person_one)
    services.check_in_attendee(person_one)
    text = pdf_text(documents.certificate_pdf(person_one))
    assert "Attestation de présence" in text
    assert "Camille Dupont, présidente, pour La Coursive Boutaric, atteste que Camille Martin1" in text
    assert re.sub(r"\s+", " ", event.dates_display) in text
    assert "Durée suivie : 3 h" in text


def test_certificate_of_a_course_lists_only_the_sessions_attended(paid, identity):
    event, registration = paid
    day = timezone.localtime(event.start).replace(hour=9, minute=0, second=0, microsecond=0)
    sessions = [
        CourseSession.objects.create(
            page=event,
            sort_order=n,
            title=f"Jour {n + 1}",
            start=day + datetime.timedelta(days=n),
            end=day + datetime.timedelta(days=n, hours=7),
        )
        for n in range(3)
    ]
    attendee = registration.attendees.get(position=2)
    for session in sessions[:2]:
        SessionPresence.objects.create(attendee=attendee, session=session, checked_in_at=session.start)
    text = pdf_text(documents.certificate_pdf(attendee))
    assert "Jour 1" in text and "Jour 2" in text and "Jour 3" not in text
    assert "Durée suivie : 14 h sur 21 h prévues" in text
    assert [d.kind for d in documents.registration_documents(registration)] == ["certificate"]


def test_documents_leave_by_the_outbox_with_the_pdfs(paid, commit):
    _event, registration = paid
    with commit():
        payments.record_payment(registration, amount="180", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    mail.outbox.clear()
    with commit():
        assert document_mail.send_documents(registration) == 1
    (message,) = mail.outbox
    assert message.to == [registration.email]
    assert message.subject.startswith("Vos documents")
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert (filename, mimetype) == (f"recu-{registration.payments.get().receipt_number}.pdf", "application/pdf")
    assert "180,00 €" in pdf_text(content)


def test_nothing_to_send_is_said(paid):
    _event, registration = paid
    with pytest.raises(payments.PaymentError, match="Aucun document"):
        document_mail.send_documents(registration)


def test_amounts_in_documents_are_decimal(paid):
    _event, registration = paid
    assert payments.money_of(registration).due == Decimal("180.00")
