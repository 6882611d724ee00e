"""A reduced rate whose proof is uploaded, in a real browser: the file on the form, then staff check it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registrations.models import EligibilityProof, ProofRule
from tests.e2e.conftest import log_in_to_admin
from tests.e2e.helpers import assert_accessible
from tests.registrations.payment_helpers import make_paid_event

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_proof_is_uploaded_then_downloaded_and_verified_by_staff(
    page, demo_site, fast_forms, manager_password, axe_source, tmp_path
):
    event, _full, reduced = make_paid_event(demo_site.root_page.specific, title="Formation avec justificatif")
    reduced.proof = ProofRule.UPLOAD
    reduced.save()
    page.goto(f"/inscription/{event.pk}/")
    page.get_by_label(re.compile(r"^Prénom")).fill("Inès")
    page.get_by_label(re.compile(r"^Nom")).fill("Étudiante")
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill("ines@example.org")
    page.get_by_role("group", name=re.compile("Votre tarif")).get_by_label(re.compile("Tarif réduit")).check()
    page.get_by_label(re.compile("Je confirme que chaque personne")).check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    # No file: the form says which proof is missing, and stays accessible.
    expect(page.get_by_text("Le tarif « Tarif réduit » demande un justificatif").first).to_be_visible()
    assert_accessible(page, axe_source)
    page.get_by_label(re.compile("Votre justificatif")).set_input_files(
        files=[{"name": "carte-etudiante.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label(re.compile("Je confirme que chaque personne")).check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_url(re.compile("/merci/"))
    proof = EligibilityProof.objects.get(attendee__registration__email="ines@example.org")

    log_in_to_admin(page, *manager_password)
    page.goto(reverse("inscriptions:edit", args=[proof.attendee.registration_id]))
    expect(page.get_by_role("heading", name="Justificatifs de tarif")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Télécharger \(PDF")).click()
    saved = tmp_path / "justificatif.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert download.value.suggested_filename == f"justificatif-{proof.attendee.registration_id}-1.pdf"
    page.get_by_role("button", name="Marquer le justificatif de Inès Étudiante comme vérifié").click()
    expect(page.locator(".messages")).to_contain_text("Justificatif de Inès Étudiante vérifié.")
    expect(page.get_by_text(re.compile(r"Vérifié le .* par "))).to_be_visible()
