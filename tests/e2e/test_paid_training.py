"""A paid training in a real browser: the reduced rate on the form, a cheque at the desk, the receipt by e-mail."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from registrations.models import Attendee, Payment
from tests.e2e.conftest import log_in_to_admin
from tests.e2e.helpers import assert_accessible
from tests.registrations.payment_helpers import make_paid_event

pytestmark = pytest.mark.e2e


@pytest.fixture
def training(demo_site, fast_forms):
    event, full, reduced = make_paid_event(demo_site.root_page.specific, capacity=20, title="Formation payante")
    return event, reduced


def test_reduced_rate_then_a_cheque_then_the_receipt(page, training, manager_password, mailoutbox, axe_source):
    event, reduced = training
    page.goto(f"/inscription/{event.pk}/")
    page.get_by_label(re.compile(r"^Prénom")).fill("Inès")
    page.get_by_label(re.compile(r"^Nom")).fill("Étudiante")
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill("ines@example.org")
    tiers = page.get_by_role("group", name=re.compile("Votre tarif"))
    tiers.get_by_label(re.compile("Tarif réduit")).check()
    page.get_by_role("button", name="M'inscrire").click()
    # The eligibility box was left unticked: the form says so and keeps the choice.
    expect(page.get_by_text("Cochez cette case pour confirmer les conditions du tarif choisi.").first).to_be_visible()
    expect(tiers.get_by_label(re.compile("Tarif réduit"))).to_be_checked()
    assert_accessible(page, axe_source)
    page.get_by_label(re.compile("Je confirme que chaque personne")).check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_url(re.compile("/merci/"))
    attendee = Attendee.objects.get(registration__email="ines@example.org")
    assert attendee.price_tier == reduced

    mailoutbox.clear()
    log_in_to_admin(page, *manager_password)
    page.goto(f"/admin/inscriptions/evenement/{event.pk}/")
    page.get_by_role("link", name=re.compile(r"Paiements \(reste 60,00")).click()
    page.get_by_label("Montant (€)").fill("60,00")
    page.get_by_label("Moyen de paiement").select_option(label="Chèque")
    page.get_by_label("Précision").fill("Chèque n° 7788")
    expect(page.get_by_label("Envoyer le reçu par e-mail")).to_be_checked()
    page.get_by_role("button", name="Enregistrer le paiement").click()
    payment = Payment.objects.get(registration=attendee.registration)
    expect(page.locator(".messages")).to_contain_text(f"reçu n° {payment.receipt_number}")
    expect(page.locator(".messages")).to_contain_text("Reçu envoyé à ines@example.org")

    (message,) = [m for m in mailoutbox if m.to == ["ines@example.org"]]
    (filename, content, mimetype) = message.attachments[0]
    assert (filename, mimetype) == (f"recu-{payment.receipt_number}.pdf", "application/pdf")
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Chèque — Chèque n° 7788" in text and "60,00 €" in text and "Inès Étudiante" in text
