"""Staff side of paid workshops: « Paiements et documents », the listing's money columns, exports, refunds."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from events.models import EventPage
from registrations import payments, services
from registrations.exports import registration_rows, write_csv, write_xlsx
from registrations.models import Invoice, Payment, PaymentExemption, PaymentMethod
from tests.registrations.factories import person
from tests.registrations.payment_helpers import make_paid_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(home_page):
    start = timezone.now() + datetime.timedelta(days=30)
    event, full, reduced = make_paid_event(
        home_page, start=start, end=start + datetime.timedelta(hours=7), refund_days_before=7
    )
    registration = services.register(event, **person(1, organisation="Centre social"), price_tiers=[reduced.pk])
    return event, registration


def payments_url(registration):
    return reverse("inscriptions:payments", args=[registration.pk])


def payment_post(**extra):
    data = {"action": "payment", "kind": "payment", "amount": "60,00", "method": "cheque", "paid_on": "2026-03-02"}
    data.update(extra)
    return data


def test_only_managers_see_the_payments_page(editor_client, manager_client, booking):
    _event, registration = booking
    refused = editor_client.get(payments_url(registration))
    assert refused.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect home
    assert "Tarif réduit" not in refused.content.decode()
    response = manager_client.get(payments_url(registration))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enregistrer un paiement" in html and "Tarif réduit" in html


def test_the_payments_page_query_count_does_not_grow_with_payments(manager_client, booking, django_assert_num_queries):
    _event, registration = booking
    payments.record_payment(registration, amount="10", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    manager_client.get(payments_url(registration))  # warm caches (site, content types, permissions)
    # The registration, its account (3), people, payments, invoices, its documents and the admin chrome:
    # the same figure with one payment or five.
    with django_assert_num_queries(20):
        manager_client.get(payments_url(registration))
    for _n in range(4):
        payments.record_payment(registration, amount="10", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    with django_assert_num_queries(20):
        manager_client.get(payments_url(registration))


def test_record_a_cheque_then_the_receipt_downloads(manager_client, manager, booking):
    _event, registration = booking
    response = manager_client.post(payments_url(registration), payment_post(note="Chèque n° 1234"), follow=True)
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.recorded_by) == (Decimal("60.00"), "cheque", manager)
    assert f"reçu n° {payment.receipt_number}" in response.content.decode()
    pdf = manager_client.get(reverse("inscriptions:document", args=[registration.pk, "receipt", payment.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"recu-{payment.receipt_number}.pdf" in pdf["Content-Disposition"]


def test_overpay_needs_the_box_and_negative_amounts_are_refused(manager_client, booking):
    _event, registration = booking
    response = manager_client.post(payments_url(registration), payment_post(amount="80"))
    assert "dépasse le reste à payer" in response.content.decode()
    response = manager_client.post(payments_url(registration), payment_post(amount="-5"))
    assert response.status_code == 200 and not Payment.objects.exists()
    manager_client.post(payments_url(registration), payment_post(amount="80", allow_overpay="on"))
    assert Payment.objects.get().amount == Decimal("80.00")


def test_a_document_of_another_registration_is_not_found(manager_client, booking):
    event, registration = booking
    other = services.register(event, **person(2), price_tiers=[event.price_tiers.first().pk])
    payment = payments.record_payment(other, amount="10", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    url = reverse("inscriptions:document", args=[registration.pk, "receipt", payment.pk])
    assert manager_client.get(url).status_code == 404


def test_exemption_and_invoice_from_the_page(manager_client, booking):
    _event, registration = booking
    manager_client.post(payments_url(registration), {"action": "invoice", "customer_name": "Centre social"})
    assert not Invoice.objects.exists()  # no address: the form says so
    manager_client.post(
        payments_url(registration),
        {"action": "invoice", "customer_name": "Centre social", "customer_address": "1 rue A\n21000 Dijon"},
    )
    assert Invoice.objects.get().total == Decimal("60.00")
    manager_client.post(payments_url(registration), {"action": "exemption", "reason": "Bénévole"})
    assert PaymentExemption.objects.get().reason == "Bénévole"
    assert payments.money_of(registration).due == Decimal("0.00")


def test_send_documents_from_the_page_and_in_bulk(manager_client, booking, django_capture_on_commit_callbacks):
    event, registration = booking
    payments.record_payment(registration, amount="60", method=PaymentMethod.CHEQUE, paid_on=timezone.localdate())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(payments_url(registration), {"action": "send"}, follow=True)
    assert "avec 1 document(s)" in response.content.decode()
    assert [a[2] for a in mail.outbox[-1].attachments] == ["application/pdf"]
    mail.outbox.clear()
    bulk = (
        reverse("wagtail_bulk_action", args=["registrations", "registration", "send_documents"])
        + f"?id={registration.pk}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(bulk, {})
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0].startswith("recu-")


def test_cancelling_in_time_tells_staff_the_refund(manager_client, booking):
    event, registration = booking
    payments.record_payment(registration, amount="60", method=PaymentMethod.CHEQUE, paid_on=timezone.localdate())
    bulk = reverse("wagtail_bulk_action", args=["registrations", "registration", "cancel"]) + f"?id={registration.pk}"
    response = manager_client.post(bulk, {}, follow=True)
    assert "60,00\u00a0€ à rembourser" in response.content.decode()
    event_page = manager_client.get(reverse("inscriptions:event", args=[event.pk])).content.decode()
    assert "Paiements (à rembourser : 60,00 €)" in event_page


def test_listing_shows_due_paid_and_balance(manager_client, booking):
    _event, registration = booking
    payments.record_payment(registration, amount="20", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    html = manager_client.get(reverse("inscriptions:index")).content.decode()
    for label in ("Dû", "Payé", "Solde"):
        assert f"> {label} </th>" in " ".join(html.split())
    assert "60,00\u00a0€" in html and "20,00\u00a0€" in html and "40,00\u00a0€" in html


def test_exports_carry_the_money_columns(booking):
    event, registration = booking
    payments.record_payment(registration, amount="20", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    header, row = list(registration_rows(event))
    cells = dict(zip(header, row, strict=True))
    assert cells["Tarif"] == "Tarif réduit"
    assert (cells["Dû (réservation)"], cells["Payé (réservation)"], cells["Solde (réservation)"]) == (
        Decimal("60.00"),
        Decimal("20.00"),
        Decimal("40.00"),
    )
    text = io.StringIO()
    write_csv(registration_rows(event), text)
    parsed = list(csv.reader(io.StringIO(text.getvalue().lstrip("\ufeff")), delimiter=";"))
    column = parsed[0].index("Solde (réservation)")
    assert parsed[1][column] == "40,00"
    binary = io.BytesIO()
    write_xlsx(registration_rows(event), binary)
    binary.seek(0)
    sheet = openpyxl.load_workbook(binary).active
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.value == 40 and cell.number_format == "#,##0.00"


def test_tier_quotas_must_fit_the_capacity_in_the_editor(home_page):
    event, _full, _reduced = make_paid_event(home_page, capacity=10)
    form_class = EventPage.get_edit_handler().get_form_class()
    formset_class = form_class.formsets["price_tiers"]

    def formset(*quotas):
        tiers = [{"label": f"T{n}", "amount": "10", "proof": "none", "quota": q} for n, q in enumerate(quotas)]
        data = nested_form_data({"price_tiers": inline_formset(tiers, initial=0)})
        return formset_class(data, instance=event, prefix="price_tiers")

    assert formset(4, 6).is_valid()
    refused = formset(6, 6)
    assert not refused.is_valid()
    assert "dépassent le nombre de places de l'événement (10)" in " ".join(refused.non_form_errors())


def test_a_tier_already_chosen_cannot_be_deleted(booking):
    event, _registration = booking
    form_class = EventPage.get_edit_handler().get_form_class()
    tiers = [
        {"id": tier.pk, "label": tier.label, "amount": str(tier.amount), "proof": tier.proof, "DELETE": "on"}
        for tier in event.price_tiers.order_by("sort_order")
    ]
    data = nested_form_data({"price_tiers": inline_formset(tiers, initial=len(tiers))})
    formset = form_class.formsets["price_tiers"](data, instance=event, prefix="price_tiers")
    assert not formset.is_valid()
    assert "« Tarif réduit » a déjà été choisi" in " ".join(formset.non_form_errors())
