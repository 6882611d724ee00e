"""The person's own account and documents on the self-service page (signed link)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registrations import payments, services, tokens
from registrations.models import PaymentMethod
from tests.registrations.factories import person
from tests.registrations.payment_helpers import make_paid_event

pytestmark = pytest.mark.django_db


def link(registration, name="manage", *args):
    return reverse(f"registrations:{name}", args=[tokens.make_manage_value(registration), *args])


@pytest.fixture
def paid_registration(home_page):
    event, full, _reduced = make_paid_event(home_page)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    return registration


def test_the_page_shows_what_is_owed_and_the_receipts(client, paid_registration):
    payment = payments.record_payment(
        paid_registration, amount="50", method=PaymentMethod.CASH, paid_on=timezone.localdate()
    )
    html = client.get(link(paid_registration)).content.decode()
    assert "Mon règlement" in html and "120,00 €" in html and "50,00 €" in html and "70,00 €" in html
    assert f"/document/receipt/{payment.pk}.pdf" in html  # the signed value carries its own timestamp
    response = client.get(link(paid_registration, "manage_document", "receipt", payment.pk))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert payment.receipt_number in text


def test_someone_elses_document_is_not_reachable(client, paid_registration):
    other = services.register(
        paid_registration.event, **person(2), price_tiers=[paid_registration.event.price_tiers.first().pk]
    )
    theirs = payments.record_payment(other, amount="10", method=PaymentMethod.CASH, paid_on=timezone.localdate())
    assert client.get(link(paid_registration, "manage_document", "receipt", theirs.pk)).status_code == 404
    assert client.get(link(paid_registration, "manage_document", "nothing", 1)).status_code == 404


def test_a_forged_link_gets_no_document(client, paid_registration):
    payment = payments.record_payment(
        paid_registration, amount="10", method=PaymentMethod.CASH, paid_on=timezone.localdate()
    )
    url = reverse("registrations:manage_document", args=["forged-value", "receipt", payment.pk])
    assert client.get(url).status_code == 400


def test_a_free_event_shows_no_account(client, event):
    registration = services.register(event, **person(1))
    html = client.get(link(registration)).content.decode()
    assert "Mon règlement" not in html and "Mes documents" not in html
