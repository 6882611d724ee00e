"""Eligibility proofs (tier « justificatif à téléverser »): upload, private storage, staff download, erasure."""

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from registrations import proofs, services
from registrations.models import Attendee, EligibilityProof, PriceTier, ProofRule, Registration, RegistrationSource
from tests.registrations.factories import make_event
from tests.registrations.test_views import form_data, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format=kind)
    return buffer.getvalue()


def pdf(name="carte-etudiante.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_upload_event(home_page, **fields):
    """« Plein tarif » 120 € and « Tarif solidaire » 10 € whose proof is uploaded."""
    event = make_event(home_page, capacity=10, **fields)
    full = PriceTier.objects.create(page=event, sort_order=0, label="Plein tarif", amount=Decimal("120.00"))
    reduced = PriceTier.objects.create(
        page=event,
        sort_order=1,
        label="Tarif solidaire",
        amount=Decimal("10.00"),
        eligibility="Demandeur·ses d'emploi",
        proof=ProofRule.UPLOAD,
    )
    return event, full, reduced


def send(client, event, commit, **overrides):
    data = form_data(tier_eligibility="on", **overrides)
    with commit():
        return client.post(url(event), data)


def stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user(
        username="gestion", password="pw", first_name="Sam", last_name="Accueil"
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="wagtailadmin", codename="access_admin")
            | Q(content_type__app_label="registrations", codename="manage_registrations")
        )
    )
    return user


@pytest.fixture
def editor_client(django_user_model):
    """An admin user of the team without the registrations permission."""
    user = django_user_model.objects.create_user(username="redaction", password="pw")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client = Client()
    client.force_login(user)
    return client


def test_the_form_asks_for_the_file_only_of_the_tier_that_needs_it(client, home_page, commit):
    event, full, reduced = make_upload_event(home_page)
    html = client.get(url(event)).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="proof_file"' in html and 'accept=".pdf,.jpg,.jpeg,.png' in html
    assert "Justificatif à téléverser" in html and "5\u00a0Mo au plus" in html

    response = send(client, event, commit, price_tier=str(reduced.pk))
    assert response.status_code == 200
    assert "Le tarif « Tarif solidaire » demande un justificatif : joignez un fichier PDF, JPEG ou PNG." in (
        response.content.decode()
    )
    assert not Registration.objects.exists()
    # The full tier needs none.
    assert send(client, event, commit, price_tier=str(full.pk)).status_code == 302
    assert not EligibilityProof.objects.exists()


def test_an_uploaded_proof_is_stored_privately_under_a_random_name(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    response = send(client, event, commit, price_tier=str(reduced.pk), proof_file=pdf())
    assert response.status_code == 302
    proof = EligibilityProof.objects.get()
    assert proof.attendee == Attendee.objects.get(position=1)
    assert proof.kind == "pdf" and proof.size == len(PDF)
    (path,) = stored_files()
    assert path.read_bytes() == PDF
    assert path.suffix == ".pdf" and "etudiante" not in path.name and "Camille" not in str(path)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))  # nowhere under the public media
    with pytest.raises(ValueError):
        proof.file.url  # noqa: B018 - a private file has no public URL


def test_images_are_accepted_and_checked(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    photo = SimpleUploadedFile("photo.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    assert send(client, event, commit, price_tier=str(reduced.pk), proof_file=photo).status_code == 302
    assert EligibilityProof.objects.get().kind == "jpeg"
    assert stored_files()[0].suffix == ".jpg"

    broken = SimpleUploadedFile("scan.png", image_bytes("PNG")[:24] + b"\x00" * 40, content_type="image/png")
    response = send(client, event, commit, email="lou@example.org", price_tier=str(reduced.pk), proof_file=broken)
    assert "Cette image est illisible ou abîmée : choisissez un autre fichier." in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_file_pretending_to_be_a_pdf_is_refused(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    fake = pdf(name="justificatif.pdf", content=b"<html><script>alert(1)</script></html>")
    response = send(client, event, commit, price_tier=str(reduced.pk), proof_file=fake)
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas un PDF, une image JPEG ou PNG (son contenu ne correspond pas)" in (
        response.content.decode()
    )
    assert not Registration.objects.exists() and stored_files() == []


def test_a_word_document_is_refused(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    docx = SimpleUploadedFile("cv.docx", b"PK\x03\x04" + b"\x00" * 100, content_type="application/msword")
    response = send(client, event, commit, price_tier=str(reduced.pk), proof_file=docx)
    assert "Ce fichier n&#x27;est pas un PDF" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_oversized_or_empty_file_is_refused(client, home_page, commit, settings):
    settings.PROOF_MAX_UPLOAD_SIZE = 1000
    event, _full, reduced = make_upload_event(home_page)
    big = pdf(content=PDF + b"0" * 2000)
    html = send(client, event, commit, price_tier=str(reduced.pk), proof_file=big).content.decode()
    assert "Le fichier pèse 2,1\u00a0Ko : un justificatif doit faire 1\u00a0Ko au plus." in html
    empty = pdf(content=b"")
    html = send(client, event, commit, price_tier=str(reduced.pk), proof_file=empty).content.decode()
    assert "Le fichier soumis est vide." in html or "Le fichier est vide" in html
    assert not Registration.objects.exists() and stored_files() == []


def test_each_companion_at_the_upload_tier_brings_their_own(client, home_page, commit):
    event, full, reduced = make_upload_event(home_page, max_seats_per_registration=2)
    data = {
        "seats": "2",
        "price_tier": str(full.pk),
        "companion_2_first_name": "Lou",
        "companion_2_last_name": "Petit",
        "companion_2_price_tier": str(reduced.pk),
    }
    html = send(client, event, commit, **data).content.decode()
    assert 'name="companion_2_proof_file"' in html
    assert "Le tarif « Tarif solidaire » demande un justificatif" in html
    assert not Registration.objects.exists()
    response = send(client, event, commit, **data, companion_2_proof_file=pdf())
    assert response.status_code == 302
    assert EligibilityProof.objects.get().attendee.full_name == "Lou Petit"


def test_a_web_registration_without_its_proof_is_refused_by_the_service(home_page):
    event, _full, reduced = make_upload_event(home_page)
    with pytest.raises(services.RegistrationError, match="Joignez le justificatif"):
        services.register(
            event, first_name="A", last_name="B", email="ab@example.org", price_tiers=[reduced.pk], consent_text="x"
        )
    # Staff (a phone booking) may add it later.
    registration = services.register(
        event, first_name="A", last_name="B", email="ab@example.org", price_tiers=[reduced.pk],
        source=RegistrationSource.STAFF,
    )  # fmt: skip
    assert registration.pk and not EligibilityProof.objects.exists()


def test_a_failed_registration_leaves_no_file(home_page, monkeypatch):
    event, _full, reduced = make_upload_event(home_page)

    def broken(_event):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_ensure_snapshot", broken)
    with pytest.raises(RuntimeError):
        services.register(
            event, first_name="A", last_name="B", email="ab@example.org", price_tiers=[reduced.pk],
            proof_files=[pdf()],
        )  # fmt: skip
    assert stored_files() == [] and not Registration.objects.exists()


def test_the_staff_form_takes_the_file_but_does_not_require_it(admin_client, home_page):
    event, _full, reduced = make_upload_event(home_page)
    add = f"/admin/inscriptions/evenement/{event.pk}/ajouter/"
    assert 'type="file" name="proof_file"' in admin_client.get(add).content.decode()
    base = {"first_name": "Alix", "last_name": "Guichet", "seats": "1", "price_tier": str(reduced.pk)}
    response = admin_client.post(add, {**base, "tier_eligibility": "on"})
    assert response.status_code == 302
    response = admin_client.post(
        add, {**base, "last_name": "Autre", "tier_eligibility": "on", "proof_file": pdf(content=b"MZ\x90\x00")}
    )
    assert response.status_code == 200 and "Ce fichier n&#x27;est pas un PDF" in response.content.decode()
    response = admin_client.post(add, {**base, "last_name": "Autre", "tier_eligibility": "on", "proof_file": pdf()})
    assert response.status_code == 302
    assert EligibilityProof.objects.get().attendee.last_name == "Autre"


def registered_with_proof(client, event, tier, commit):
    assert send(client, event, commit, price_tier=str(tier.pk), proof_file=pdf()).status_code == 302
    return EligibilityProof.objects.get()


def test_staff_download_the_proof_others_are_refused(client, home_page, commit, manager, editor_client):
    event, _full, reduced = make_upload_event(home_page)
    proof = registered_with_proof(client, event, reduced, commit)
    link = reverse("registration_proof", args=[proof.pk])
    assert link == f"/admin/justificatifs/{proof.pk}/"

    staff = Client()
    staff.force_login(manager)
    response = staff.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    registration = proof.attendee.registration
    assert response["Content-Disposition"] == f'attachment; filename="justificatif-{registration.pk}-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]

    assert editor_client.get(link).status_code == 403
    assert Client().get(link).status_code == 403  # anonymous: refused, not redirected to a login page
    assert Client().get(f"/admin/justificatifs/{proof.pk + 1}/").status_code == 403  # nothing revealed either


def test_staff_see_and_verify_the_proof_on_the_registrations_page(client, home_page, commit, manager):
    event, _full, reduced = make_upload_event(home_page)
    proof = registered_with_proof(client, event, reduced, commit)
    registration = proof.attendee.registration
    staff = Client()
    staff.force_login(manager)
    page = reverse("inscriptions:edit", args=[registration.pk])
    html = staff.get(page).content.decode()
    assert "Justificatifs de tarif" in html and f'href="/admin/justificatifs/{proof.pk}/"' in html
    assert "Marquer le justificatif de Camille Martin comme vérifié" in html

    action = reverse("inscriptions:proof_action", args=[proof.attendee.pk])
    response = staff.post(action, {"action": "verify"})
    assert response.status_code == 302
    proof.refresh_from_db()
    assert proof.verified_by == manager and proof.verified_at is not None
    html = staff.get(page).content.decode()
    assert f"Vérifié le {timezone.localtime(proof.verified_at):%d/%m/%Y %H:%M} par Sam Accueil" in html


def test_only_managers_verify_or_replace(client, home_page, commit, editor_client):
    event, _full, reduced = make_upload_event(home_page)
    proof = registered_with_proof(client, event, reduced, commit)
    action = reverse("inscriptions:proof_action", args=[proof.attendee.pk])
    response = editor_client.post(action, {"action": "verify"})
    assert (
        response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    )  # the admin's refusal
    proof.refresh_from_db()
    assert proof.verified_at is None


def test_staff_add_the_proof_of_a_phone_booking_later(admin_client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    registration = services.register(
        event, first_name="Alix", last_name="Guichet", email="", price_tiers=[reduced.pk],
        source=RegistrationSource.STAFF,
    )  # fmt: skip
    page = reverse("inscriptions:edit", args=[registration.pk])
    assert "Aucun fichier reçu." in admin_client.get(page).content.decode()
    action = reverse("inscriptions:proof_action", args=[registration.attendees.get().pk])
    response = admin_client.post(action, {"action": "upload", "file": pdf(content=b"GIF89a")}, follow=True)
    assert "Ce fichier n&#x27;est pas un PDF" in response.content.decode()
    with commit():
        admin_client.post(action, {"action": "upload", "file": pdf()})
    first = EligibilityProof.objects.get()
    old_files = stored_files()
    with commit():
        admin_client.post(action, {"action": "upload", "file": SimpleUploadedFile("p.png", image_bytes("PNG"))})
    replaced = EligibilityProof.objects.get()
    assert replaced.pk != first.pk and replaced.kind == "png"
    assert len(stored_files()) == 1 and stored_files() != old_files  # the old file left the disk


def test_anonymisation_deletes_the_file(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    proof = registered_with_proof(client, event, reduced, commit)
    assert len(stored_files()) == 1
    with commit():
        services.anonymize(proof.attendee.registration)
    assert not EligibilityProof.objects.exists()
    assert stored_files() == []


def test_the_scheduled_anonymisation_deletes_the_files(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    registered_with_proof(client, event, reduced, commit)
    past = timezone.now() - datetime.timedelta(days=400)
    type(event).objects.filter(pk=event.pk).update(start=past, end=past + datetime.timedelta(hours=2))
    with commit():
        call_command("anonymize_registrations", stdout=io.StringIO())
    assert Registration.objects.get().anonymized_at is not None
    assert stored_files() == []


def test_cancelling_deletes_the_proof(client, home_page, commit):
    event, _full, reduced = make_upload_event(home_page)
    proof = registered_with_proof(client, event, reduced, commit)
    with commit():
        services.cancel(proof.attendee.registration)
    assert not EligibilityProof.objects.exists() and stored_files() == []


def test_a_seat_given_back_takes_its_proof_along(client, home_page, commit):
    event, full, reduced = make_upload_event(home_page, max_seats_per_registration=2)
    data = {
        "seats": "2",
        "price_tier": str(full.pk),
        "companion_2_first_name": "Lou",
        "companion_2_last_name": "Petit",
        "companion_2_price_tier": str(reduced.pk),
        "companion_2_proof_file": pdf(),
    }
    assert send(client, event, commit, **data).status_code == 302
    lou = Attendee.objects.get(first_name="Lou")
    with commit():
        services.cancel_attendee(lou)
    assert not EligibilityProof.objects.exists() and stored_files() == []


def test_a_file_left_without_its_row_is_swept(home_page):
    storage = proofs.private_storage()
    name = storage.save("justificatifs/2026/orphelin.pdf", io.BytesIO(PDF))
    path = Path(storage.path(name))
    assert proofs.sweep_orphan_files() == 0  # too recent: an upload may be under way
    old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(path, (old, old))
    assert proofs.sweep_orphan_files() == 1
    assert not path.exists()
