"""Calendars stay true: cancellations remove the entry (same UID), moves raise SEQUENCE, the page says what happens."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from events.ical import event_uid
from registrations import services, tokens
from registrations.models import RegistrationMode, RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


def manage(registration, action="manage"):
    return reverse(f"registrations:{action}", args=[tokens.make_manage_value(registration)])


def calendar_of(message):
    (attachment,) = [a for a in message.attachments if a[2] == "text/calendar"]
    return Calendar.from_ical(attachment[1])


def only_event(calendar):
    (vevent,) = calendar.walk("VEVENT")
    return vevent


def message_to(address, subject_start):
    (message,) = [m for m in mail.outbox if m.to == [address] and m.subject.startswith(subject_start)]
    return message


def test_cancellation_email_removes_the_entry_the_confirmation_added(event, commit):
    with commit():
        registration = services.register(event, **person(1))
    confirmation = calendar_of(message_to(registration.email, "Inscription confirmée"))
    with commit():
        services.cancel(registration)
    cancellation_message = message_to(registration.email, "Inscription annulée")
    cancellation = calendar_of(cancellation_message)
    assert confirmation["METHOD"] == "PUBLISH"
    assert cancellation["METHOD"] == "CANCEL"
    assert only_event(cancellation)["STATUS"] == "CANCELLED"
    assert only_event(cancellation)["UID"] == only_event(confirmation)["UID"] == event_uid(event)
    assert only_event(cancellation)["SEQUENCE"] >= only_event(confirmation)["SEQUENCE"]
    # Mail programs read the method from the part's type too (RFC 6047).
    assert b"text/calendar; method=CANCEL" in cancellation_message.raw.replace(b'"', b"")


def test_rejection_email_carries_a_cancelling_calendar(home_page, commit):
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW)
    with commit():
        services.reject(services.register(event, **person(1)))
    rejection = calendar_of(message_to("camille1@example.org", "Demande d'inscription non retenue"))
    assert rejection["METHOD"] == "CANCEL"
    assert only_event(rejection)["UID"] == event_uid(event)
    assert only_event(rejection)["STATUS"] == "CANCELLED"


def test_event_cancelled_by_staff_sends_a_cancel_with_the_raised_sequence(event, commit):
    with commit():
        registration = services.register(event, **person(1))
    before = only_event(calendar_of(message_to(registration.email, "Inscription confirmée")))
    event.status = "cancelled"
    with commit():
        event.save_revision().publish()
    calendar = calendar_of(message_to(registration.email, "Événement annulé"))
    assert calendar["METHOD"] == "CANCEL"
    assert only_event(calendar)["UID"] == before["UID"]
    assert only_event(calendar)["SEQUENCE"] > before["SEQUENCE"]


def test_a_move_sends_the_same_uid_with_a_raised_sequence_each_time(event, commit):
    with commit():
        registration = services.register(event, **person(1))
    sequences = [only_event(calendar_of(message_to(registration.email, "Inscription confirmée")))["SEQUENCE"]]
    for _move in range(2):
        mail.outbox.clear()
        event.start += datetime.timedelta(days=1)
        with commit():
            event.save_revision().publish()
        moved = only_event(calendar_of(message_to(registration.email, "Changement de date")))
        assert moved["UID"] == event_uid(event)
        assert moved["DTSTART"].dt == event.start
        sequences.append(moved["SEQUENCE"])
    assert sequences[0] < sequences[1] < sequences[2]


def test_postponement_sends_a_tentative_update_with_a_raised_sequence(event, commit):
    with commit():
        registration = services.register(event, **person(1))
    before = only_event(calendar_of(message_to(registration.email, "Inscription confirmée")))
    event.status = "postponed"
    with commit():
        event.save_revision().publish()
    postponed = calendar_of(message_to(registration.email, "Événement reporté"))
    assert postponed["METHOD"] == "PUBLISH"
    assert only_event(postponed)["STATUS"] == "TENTATIVE"
    assert only_event(postponed)["SEQUENCE"] > before["SEQUENCE"]


def test_cancelled_registration_page_offers_no_calendar_and_its_ics_cancels(client, event):
    registration = services.register(event, **person(1))
    page = client.get(manage(registration)).content.decode()
    assert "Ajouter à mon agenda" in page and "/agenda.ics" in page
    assert Calendar.from_ical(client.get(manage(registration, "manage_ics")).content)["METHOD"] == "PUBLISH"

    services.cancel(registration)
    page = client.get(manage(registration)).content.decode()
    assert "Ajouter à mon agenda" not in page
    assert "/agenda.ics" not in page  # no calendar link at all (links are signed with the time of the page)
    response = client.get(manage(registration, "manage_ics"))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "CANCEL"
    assert only_event(calendar)["STATUS"] == "CANCELLED"
    assert only_event(calendar)["UID"] == event_uid(event)


def test_rejected_registration_page_offers_no_calendar(client, home_page):
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW)
    registration = services.register(event, **person(1))
    services.reject(registration)
    assert "Ajouter à mon agenda" not in client.get(manage(registration)).content.decode()
    assert Calendar.from_ical(client.get(manage(registration, "manage_ics")).content)["METHOD"] == "CANCEL"


# ---------------------------------------------------------------------------
# The cancel page says what really happens to the seat


def cancel_through_the_page(client, registration, commit):
    before = client.get(manage(registration)).content.decode()
    with commit():
        response = client.post(manage(registration, "manage_cancel"), follow=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    return before, response.content.decode()


def test_without_a_waiting_list_the_seat_is_open_again(client, home_page, commit):
    event = make_event(home_page, capacity=1, waitlist_enabled=False)
    registration = services.register(event, **person(1))
    before, after = cancel_through_the_page(client, registration, commit)
    assert "elle est de nouveau ouverte aux inscriptions" in before
    assert "liste d'attente" not in before.split("Je ne peux plus venir")[1]
    assert "votre place est de nouveau ouverte aux inscriptions" in after
    assert "personne suivante" not in after and "proposée" not in after
    assert services.availability(event).state == "open"


def test_with_people_waiting_the_seat_is_offered_to_them(client, home_page, commit):
    event = make_event(home_page, capacity=1)
    registration = services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    before, after = cancel_through_the_page(client, registration, commit)
    assert "elle est aussitôt proposée aux personnes sur liste d'attente" in before
    assert "votre place est proposée aux personnes sur liste d'attente" in after
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_waiting_list_nobody_is_on_counts_as_open_again(client, home_page, commit):
    event = make_event(home_page, capacity=2)  # a waiting list, but nobody waiting
    registration = services.register(event, **person(1))
    before, after = cancel_through_the_page(client, registration, commit)
    assert "de nouveau ouverte aux inscriptions" in before and "de nouveau ouverte aux inscriptions" in after


def test_a_pending_request_frees_nothing(client, home_page, commit):
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW, capacity=1)
    registration = services.register(event, **person(1))
    before, after = cancel_through_the_page(client, registration, commit)
    assert "rien n'est libéré" in before
    assert "Votre demande d'inscription est retirée" in after and "rien n'a été libéré" in after
    assert "ouverte aux inscriptions" not in after


def test_leaving_the_waiting_list_says_so(client, home_page, commit):
    event = make_event(home_page, capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    before, after = cancel_through_the_page(client, waiting, commit)
    assert "Annuler vous retire de la liste d'attente" in before
    assert "Vous avez quitté la liste d'attente" in after


# ---------------------------------------------------------------------------
# Erasing asks once more


def test_erasing_asks_for_confirmation_first(client, event, commit):
    registration = services.register(event, **person(1, phone="0612345678"))
    manage_page = client.get(manage(registration)).content.decode()
    # The link is signed with the time of the page: read it from the page rather than signing it again.
    (erase_url,) = re.findall(r'href="(/inscription/gerer/[^"/]+/effacer/)"', manage_page)

    confirmation = client.get(erase_url)
    html = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert "Effacer mes données ?" in html and "définitive" in html
    assert "Votre inscription sera d'abord annulée" in html
    assert 'name="confirmer" value="oui"' in html and "csrfmiddlewaretoken" in html
    registration.refresh_from_db()
    assert registration.anonymized_at is None and registration.status == RegistrationStatus.CONFIRMED

    # A post without the confirmation (an old page's button) only asks again.
    with commit():
        again = client.post(erase_url)
    assert "Oui, effacer mes données" in again.content.decode()
    registration.refresh_from_db()
    assert registration.anonymized_at is None and registration.status == RegistrationStatus.CONFIRMED

    with commit():
        done = client.post(erase_url, {"confirmer": "oui"})
    assert "Vos données sont effacées" in done.content.decode()
    registration.refresh_from_db()
    assert registration.anonymized_at is not None and registration.phone == ""
    assert registration.status == RegistrationStatus.CANCELLED
