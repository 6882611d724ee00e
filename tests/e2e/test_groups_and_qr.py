"""A group of three named people books, one gives back their seat, the waiting person gets it; a QR code at the door."""

import re

import pytest
import segno
from playwright.sync_api import expect

from registrations import services, tokens
from registrations.figures import event_figures
from registrations.models import RegistrationStatus
from tests.e2e.conftest import log_in_to_admin
from tests.e2e.helpers import assert_accessible, has_horizontal_scroll, save_screenshots
from tests.e2e.test_attendee import manage_path

pytestmark = pytest.mark.e2e


@pytest.fixture
def group_workshop(workshop):
    """Three seats, up to three per person."""
    workshop.capacity = 3
    workshop.max_seats_per_registration = 3
    workshop.save_revision().publish()
    return workshop


def test_a_group_of_three_books_one_cancels_and_the_waiting_person_gets_the_seat(
    page, group_workshop, mailoutbox, axe_source
):
    event = group_workshop
    event.waitlist_offers = True  # the freed seat is offered to the person waiting, who takes it through the link
    event.save(update_fields=["waitlist_offers"])
    page.goto(f"/inscription/{event.pk}/")
    rows = page.locator("[data-companion]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_be_hidden()  # JavaScript shows only the rows the seats need
    page.get_by_label("Nombre de places").select_option("3")
    expect(rows.nth(0)).to_be_visible()
    expect(rows.nth(1)).to_be_visible()

    page.locator("#id_first_name").fill("Aïcha")
    page.locator("#id_last_name").fill("Benali")
    page.get_by_label("Adresse e-mail").fill("aicha.benali@example.org")
    page.get_by_label("Prénom de la personne 2", exact=True).fill("Louise")
    page.get_by_label("Nom de la personne 2", exact=True).fill("Bernard")
    page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Oui").check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()

    # One name missing for three seats: a French message, nothing stored, the typed names kept.
    expect(page.get_by_role("alert")).to_contain_text("indiquez le prénom et le nom des 2 personnes")
    assert not event.registrations.exists()
    expect(page.get_by_label("Prénom de la personne 2", exact=True)).to_have_value("Louise")
    assert_accessible(page, axe_source, "formulaire de groupe avec erreur")
    page.get_by_label("Prénom de la personne 3", exact=True).fill("Nour")
    page.get_by_label("Nom de la personne 3", exact=True).fill("Haddad")
    page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Oui").check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte mail")

    group = event.registrations.get(email="aicha.benali@example.org")
    assert group.status == RegistrationStatus.CONFIRMED and group.seats == 3
    waiting = services.register(event, first_name="Paul", last_name="Durand", email="paul@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED

    (confirmation,) = [m for m in mailoutbox if m.to == ["aicha.benali@example.org"]]
    assert "Aïcha Benali, Louise Bernard, Nour Haddad" in confirmation.body
    mailoutbox.clear()
    page.goto(manage_path(confirmation))
    expect(page.get_by_role("heading", name="Les personnes inscrites")).to_be_visible()
    expect(page.get_by_role("img", name="Code QR d'entrée de Aïcha Benali")).to_be_visible()
    assert_accessible(page, axe_source, "page de gestion d'un groupe")
    page.set_viewport_size({"width": 320, "height": 700})
    assert not has_horizontal_scroll(page), "the group and its code fit a 320 px phone"
    save_screenshots(page, "groupe-gestion")

    page.get_by_role("button", name="Annuler la place de Louise Bernard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler la place de Louise Bernard ?")
    assert_accessible(page, axe_source, "confirmation d'annulation d'une place")
    page.get_by_role("button", name="Oui, annuler la place de Louise Bernard").click()

    expect(page.get_by_role("status").first).to_contain_text("La place de Louise Bernard est annulée")
    expect(page.get_by_role("button", name="Annuler la place de Louise Bernard")).to_have_count(0)
    expect(page.get_by_role("button", name="Annuler la place de Nour Haddad")).to_be_visible()
    group.refresh_from_db()
    waiting.refresh_from_db()
    assert group.seats == 2 and group.status == RegistrationStatus.CONFIRMED
    assert waiting.status == RegistrationStatus.OFFERED, "the freed seat is held and offered to the waiting list"
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["aicha.benali@example.org"].startswith("Une place annulée sur votre inscription")
    assert subjects["paul@example.org"].startswith("Une place vous est proposée")
    assert services.seats_remaining(event) == 0  # held for Paul while he decides

    (offer,) = [m for m in mailoutbox if m.to == ["paul@example.org"]]
    page.goto(manage_path(offer))
    page.get_by_role("button", name="Je prends la place").click()
    expect(page.get_by_role("status").first).to_contain_text("la place est à vous")
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert event_figures(event).confirmed == 3


def test_staff_scan_a_qr_code_photo_and_see_the_people_checked_in(
    page, group_workshop, manager_password, axe_source, tmp_path
):
    event = group_workshop
    group = services.register(
        event,
        first_name="Aïcha",
        last_name="Benali",
        email="aicha.benali@example.org",
        seats=2,
        companions=[{"first_name": "Louise", "last_name": "Bernard"}],
    )
    photo = tmp_path / "code.png"
    segno.make(tokens.make_check_in_value(group), error="m").save(str(photo), scale=8, border=4)

    log_in_to_admin(page, *manager_password)
    page.goto(f"/admin/inscriptions/evenement/{event.pk}/pointage/")
    expect(page.get_by_role("heading", name="Scanner un code QR d'entrée")).to_be_visible()
    expect(page.get_by_label("Ou prendre le code en photo")).to_be_visible()  # shown once the reader loaded
    assert_accessible(page, axe_source, "pointage avec lecteur de code QR")

    page.get_by_label("Ou prendre le code en photo").set_input_files(str(photo))  # the phone's photo
    expect(
        page.get_by_text("Code accepté : 2 personnes pointées présentes : Aïcha Benali, Louise Bernard.")
    ).to_be_visible()
    people = {a.first_name: a.checked_in_at for a in group.attendees.all()}
    assert all(people.values()), people
    assert event_figures(event).present == 2
    expect(page.locator(".checkin-done")).to_have_count(2)

    # The code of a cancelled registration is refused in French, and nobody more is counted.
    other = services.register(event, first_name="Paul", last_name="Durand", email="paul@example.org")
    services.cancel(other)
    cancelled_photo = tmp_path / "annule.png"
    segno.make(tokens.make_check_in_value(other), error="m").save(str(cancelled_photo), scale=8, border=4)
    page.get_by_label("Ou prendre le code en photo").set_input_files(str(cancelled_photo))
    expect(page.get_by_text("Cette inscription est annulée.")).to_be_visible()
    assert event_figures(event).present == 2


def test_staff_cancel_one_person_of_a_group_from_the_registration_page(
    page, group_workshop, manager_password, axe_source
):
    event = group_workshop
    group = services.register(
        event,
        first_name="Aïcha",
        last_name="Benali",
        email="aicha.benali@example.org",
        seats=2,
        companions=[{"first_name": "Louise", "last_name": "Bernard"}],
    )
    log_in_to_admin(page, *manager_password)
    page.goto(f"/admin/inscriptions/evenement/{event.pk}/")
    expect(page.locator(f"#r{group.pk}")).to_contain_text("avec Louise Bernard")
    page.locator(f"#r{group.pk}").get_by_role("link", name="Modifier").click()
    expect(page.get_by_label("Prénom de la personne 2")).to_have_value("Louise")
    assert_accessible(page, axe_source, "modifier une inscription de groupe")
    page.get_by_role("link", name="Annuler la place de Louise Bernard").click()
    expect(page.get_by_text("Seule la place de Louise Bernard est annulée")).to_be_visible()
    assert_accessible(page, axe_source, "annuler la place d'une personne (équipe)")
    page.get_by_role("button", name="Confirmer l'annulation de la place").click()
    expect(page.get_by_text("Place annulée : Louise Bernard.")).to_be_visible()
    group.refresh_from_db()
    assert group.seats == 1 and group.status == RegistrationStatus.CONFIRMED
