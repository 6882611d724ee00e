"""An attendee's journeys, in a real browser: register, read the e-mail, manage, cancel, wait, get a seat."""

import re

import pytest
from playwright.sync_api import expect

from registrations import services
from registrations.models import RegistrationStatus
from tests.e2e.helpers import assert_accessible, save_screenshots

pytestmark = pytest.mark.e2e

MANAGE_LINK = re.compile(r"https?://[^\s\"<>]+(/inscription/gerer/[^\s\"<>]+/)")


def manage_path(message):
    """The self-service link an e-mail carries, made relative so that it opens on the live server."""
    match = MANAGE_LINK.search(message.body)
    assert match, f"no self-service link in the e-mail:\n{message.body}"
    return match.group(1)


def field(page, label):
    """A form field by the start of its French label ("Nom" must not match "Nombre de places")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def fill_identity(page, first_name, last_name, email):
    field(page, "Prénom").fill(first_name)
    field(page, "Nom").fill(last_name)
    field(page, "Adresse e-mail").fill(email)


def open_registration_form_from_home(page, workshop):
    """Home → agenda → the workshop → its registration form, following links as a visitor would."""
    page.goto("/")
    page.get_by_role("navigation").first.get_by_role("link", name=re.compile("^Agenda", re.I)).first.click()
    page.get_by_role("link", name=workshop.title).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == workshop.title
    page.get_by_role("link", name=re.compile(r"^S'inscrire")).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Inscription : {workshop.title}"


def test_register_read_the_mail_manage_and_cancel(page, workshop, mailoutbox, axe_source):
    open_registration_form_from_home(page, workshop)
    assert_accessible(page, axe_source, "formulaire d'inscription")
    save_screenshots(page, "inscription-formulaire")

    fill_identity(page, "Aïcha", "Benali", "aicha.benali@example.org")
    page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Oui").check()
    field(page, "Ce que vous aimeriez apprendre").fill("Régler mes freins à disque.")
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte mail"
    assert "aicha.benali@example.org" in page.get_by_role("main").inner_text()
    assert_accessible(page, axe_source, "confirmation")
    save_screenshots(page, "inscription-confirmation")

    registration = workshop.registrations.get(email="aicha.benali@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.event_id == workshop.pk
    assert sorted(registration.answers.values(), key=str) == ["Oui", "Régler mes freins à disque."]
    assert registration.consent_at is not None

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["aicha.benali@example.org"]
    assert workshop.title in mail.subject or workshop.title in mail.body

    page.goto(manage_path(mail))
    assert page.get_by_role("heading", level=1).inner_text() == "Mon inscription"
    main = page.get_by_role("main")
    assert "Aïcha Benali" in main.inner_text()
    assert "Confirmée" in main.inner_text()
    assert_accessible(page, axe_source, "page de gestion")
    save_screenshots(page, "inscription-gestion")

    page.get_by_role("button", name="Je ne peux plus venir").click()
    assert page.get_by_role("status").inner_text().startswith("Votre inscription est annulée")
    assert page.get_by_role("button", name="Je ne peux plus venir").count() == 0
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert services.seats_remaining(workshop) == 2


def test_waitlisted_attendee_is_promoted_when_a_seat_is_freed(page, workshop, mailoutbox):
    first = services.register(workshop, first_name="Jeanne", last_name="Morel", email="jeanne@example.org")
    services.register(workshop, first_name="Karim", last_name="Haddad", email="karim@example.org")
    assert services.seats_remaining(workshop) == 0
    mailoutbox.clear()

    page.goto(workshop.url)
    page.get_by_role("link", name=re.compile("^S'inscrire sur la liste d'attente")).click()
    fill_identity(page, "Lucie", "Girard", "lucie.girard@example.org")
    page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Non").check()
    page.get_by_label(re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte mail"
    lucie = workshop.registrations.get(email="lucie.girard@example.org")
    assert lucie.status == RegistrationStatus.WAITLISTED
    assert [m.to for m in mailoutbox] == [["lucie.girard@example.org"]]
    assert "position 1" in mailoutbox[0].body

    # Jeanne frees her seat from her own self-service page.
    mailoutbox.clear()
    page.goto(f"/inscription/gerer/{_manage_value(first)}/")
    page.get_by_role("button", name="Je ne peux plus venir").click()
    expect(page.get_by_role("status")).to_be_visible()

    lucie.refresh_from_db()
    assert lucie.status == RegistrationStatus.CONFIRMED
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert "lucie.girard@example.org" in recipients
    promotion = next(m for m in mailoutbox if m.to == ["lucie.girard@example.org"])
    page.goto(manage_path(promotion))
    assert "Confirmée" in page.get_by_role("main").inner_text()


def _manage_value(registration):
    from registrations import tokens

    return tokens.make_manage_value(registration)


def test_a_freed_seat_is_offered_and_taken_through_the_link(page, workshop, mailoutbox, axe_source):
    """Offers on: the first person waiting gets an e-mail, opens it and takes the seat with one button."""
    workshop.waitlist_offers = True
    workshop.save(update_fields=["waitlist_offers"])
    first = services.register(workshop, first_name="Jeanne", last_name="Morel", email="jeanne@example.org")
    services.register(workshop, first_name="Karim", last_name="Haddad", email="karim@example.org")
    lucie = services.register(workshop, first_name="Lucie", last_name="Girard", email="lucie.girard@example.org")
    assert lucie.status == RegistrationStatus.WAITLISTED
    mailoutbox.clear()

    services.cancel(first)
    lucie.refresh_from_db()
    assert lucie.status == RegistrationStatus.OFFERED
    offer = next(m for m in mailoutbox if m.to == ["lucie.girard@example.org"])
    assert offer.subject.startswith("Une place vous est proposée")

    page.goto(manage_path(offer))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Une place vous est proposée")).to_be_visible()
    assert "réservée pour vous jusqu'au" in main.inner_text()
    assert_accessible(page, axe_source, "place proposée")
    save_screenshots(page, "inscription-place-proposee")

    page.get_by_role("button", name="Je prends la place").focus()
    page.keyboard.press("Enter")  # keyboard only, no JavaScript needed
    expect(page.get_by_role("status")).to_have_text(re.compile("la place est à vous"))
    assert "Confirmée" in page.get_by_role("main").inner_text()
    assert page.get_by_role("button", name="Je prends la place").count() == 0
    lucie.refresh_from_db()
    assert lucie.status == RegistrationStatus.CONFIRMED
    assert services.seats_remaining(workshop) == 0
