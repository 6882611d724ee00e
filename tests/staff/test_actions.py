"""Staff actions go through the services and leave an entry in Wagtail's audit log."""

import html
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail import BadHeaderError
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from outbox.models import OutgoingEmail
from registrations import services
from registrations.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from tests.registrations.factories import RegistrationFactory, add_question, make_event


def log_actions_for(registration):
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration), object_id=str(registration.pk)
        ).values_list("action", "user__username")
    )


def bulk_url(action, registrations, *, next_url=None):
    """Wagtail's bulk-action URL for these registrations (as the event page's GET form builds it)."""
    query = urlencode([("id", registration.pk) for registration in registrations] + [("next", next_url or "")])
    return reverse("wagtail_bulk_action", args=["registrations", "registration", action]) + "?" + query


def bulk(client, action, registrations, **data):
    """Confirm a bulk action (the POST of its confirmation page), back to the first one's event page."""
    next_url = reverse("inscriptions:event", args=[registrations[0].event_id])
    return client.post(bulk_url(action, registrations, next_url=next_url), data, follow=True)


def single(client, url_name, registration, **data):
    """One of the one-row POST buttons (approve, check-in, check-out, resend)."""
    return client.post(reverse(f"inscriptions:{url_name}", args=[registration.pk]), data, follow=True)


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def review_event(home_page):
    return make_event(home_page, title="Atelier sur validation", registration_mode=RegistrationMode.REVIEW, capacity=2)


def test_approve_one_request_logs_who_did_it(manager_client, manager, review_event):
    request = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING, first_name="Léa")
    response = single(manager_client, "approve", request)
    request.refresh_from_db()
    assert request.status == RegistrationStatus.CONFIRMED
    assert "Demandes acceptées : Léa" in text(response)
    assert ("registrations.approve", manager.username) in log_actions_for(request)


def test_bulk_approve_reports_refusals_in_french(manager_client, review_event):
    review_event.waitlist_enabled = False
    review_event.save()
    requests = [
        RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING, seats=1) for _index in range(3)
    ]
    response = bulk(manager_client, "approve", requests)
    statuses = sorted(Registration.objects.filter(pk__in=[r.pk for r in requests]).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "pending"]
    assert "Il ne reste pas assez de places" in text(response)


def test_reject_without_notice(manager_client, review_event, django_capture_on_commit_callbacks):
    request = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        bulk(manager_client, "reject", [request])
    request.refresh_from_db()
    assert request.status == RegistrationStatus.REJECTED
    assert mail.outbox == []


def test_cancel_with_notice_emails_the_person(manager_client, event, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=event, email="annule@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        bulk(manager_client, "cancel", [registration], notify="1")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert [message.to for message in mail.outbox] == [["annule@example.org"]]


def test_cancelling_a_seat_promotes_the_waiting_list(manager_client, home_page):
    event = make_event(home_page, capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    bulk(manager_client, "cancel", [confirmed])
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_promote_button(manager_client, manager, home_page):
    event = make_event(home_page, capacity=1)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED, first_name="Noé")
    response = manager_client.post(reverse("inscriptions:promote_waitlist", args=[event.pk]), follow=True)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert "Sorties de la liste d'attente : Noé" in text(response)
    assert ("registrations.promote", manager.username) in log_actions_for(waiting)


def test_check_in_many_and_undo(manager_client, manager, event):
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)
    bulk(manager_client, "check_in", [first, second])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.checked_in_at and second.checked_in_at
    assert ("registrations.check_in", manager.username) in log_actions_for(first)
    single(manager_client, "check_out_one", first)
    first.refresh_from_db()
    assert first.checked_in_at is None


def test_resend_is_logged(manager_client, manager, event, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=event, email="renvoi@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        single(manager_client, "resend", registration)
    assert [message.to for message in mail.outbox] == [["renvoi@example.org"]]
    assert ("registrations.resend", manager.username) in log_actions_for(registration)


@pytest.mark.parametrize("url_name", ["approve", "check_in_one", "check_out_one", "resend"])
def test_one_row_actions_need_a_post(manager_client, event, url_name):
    registration = RegistrationFactory(event=event)
    assert manager_client.get(reverse(f"inscriptions:{url_name}", args=[registration.pk])).status_code == 405
    assert manager_client.get(reverse("inscriptions:promote_waitlist", args=[event.pk])).status_code == 405


def test_action_needs_a_post_and_csrf(manager_client, manager, event):
    registration = RegistrationFactory(event=event)
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.post(bulk_url("cancel", [registration])).status_code == 403
    assert strict.post(reverse("inscriptions:check_in_one", args=[registration.pk])).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.checked_in_at is None


def test_check_in_page_filters_by_name_and_checks_in(manager_client, event):
    RegistrationFactory(event=event, first_name="Albane", last_name="Morel")
    bastien = RegistrationFactory(event=event, first_name="Bastien", last_name="Roux")
    url = reverse("inscriptions:check_in", args=[event.pk])
    page = manager_client.get(url, {"q": "rou"}).content.decode()
    assert "Bastien" in page and "Albane" not in page
    assert 'name="csrfmiddlewaretoken"' in page
    response = manager_client.post(
        reverse("inscriptions:check_in_one", args=[bastien.pk]), {"next": f"{url}?q=rou#r{bastien.pk}"}
    )
    assert response.status_code == 302 and response["Location"] == f"{url}?q=rou#r{bastien.pk}"
    bastien.refresh_from_db()
    assert bastien.checked_in_at is not None


def test_next_url_must_stay_on_site(manager_client, event):
    registration = RegistrationFactory(event=event)
    response = manager_client.post(
        reverse("inscriptions:check_in_one", args=[registration.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("inscriptions:event", args=[event.pk])
    response = manager_client.post(bulk_url("check_out", [registration], next_url="https://evil.example/"))
    assert response["Location"] == reverse("inscriptions:index")


def test_add_by_hand_goes_through_register(manager_client, manager, home_page):
    event = make_event(home_page, capacity=1)
    RegistrationFactory(event=event)
    question = add_question(event, "Régime alimentaire")
    url = reverse("inscriptions:event_add", args=[event.pk])
    data = {
        "first_name": "Paul",
        "last_name": "Durand",
        "email": "Paul@Example.org",
        "seats": "1",
        question.answer_key: "végétarien",
    }
    manager_client.post(url, data)
    paul = Registration.objects.get(email="paul@example.org")
    assert paul.status == RegistrationStatus.WAITLISTED  # full: waiting list without the override
    assert paul.source == RegistrationSource.STAFF
    assert paul.answers == {question.answer_key: "végétarien"}
    assert ("registrations.register", manager.username) in log_actions_for(paul)

    response = manager_client.post(url, {**data, "email": "marie@example.org", "allow_over_capacity": "on"})
    assert response.status_code == 302
    assert Registration.objects.get(email="marie@example.org").status == RegistrationStatus.CONFIRMED


def test_add_by_hand_shows_service_errors(manager_client, event):
    RegistrationFactory(event=event, email="deja@example.org")
    response = manager_client.post(
        reverse("inscriptions:event_add", args=[event.pk]),
        {"first_name": "A", "last_name": "B", "email": "deja@example.org", "seats": "1"},
    )
    assert response.status_code == 200
    assert "Une inscription existe déjà" in text(response)


def test_add_by_hand_refuses_an_address_too_long_for_the_database(manager_client, event):
    """An e-mail longer than the column would be a server error on PostgreSQL: a French message instead."""
    response = manager_client.post(
        reverse("inscriptions:event_add", args=[event.pk]),
        {"first_name": "A", "last_name": "B", "email": "a" * 250 + "@example.org", "seats": "1"},
    )
    assert response.status_code == 200
    assert "caractères" in text(response)
    assert not Registration.objects.filter(first_name="A", last_name="B").exists()


def test_edit_details_and_answers_but_not_status(manager_client, manager, event):
    question = add_question(event, "Commentaire")
    registration = RegistrationFactory(event=event, first_name="Jon")
    url = reverse("inscriptions:edit", args=[registration.pk])
    assert "Commentaire" in manager_client.get(url).content.decode()
    response = manager_client.post(
        url,
        {
            "first_name": "John",
            "last_name": registration.last_name,
            "email": registration.email,
            "organisation": "",
            "phone": "",
            "status": "cancelled",
            question.answer_key: "Arrivera en retard",
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.first_name == "John"
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.answers == {question.answer_key: "Arrivera en retard"}
    entry = ModelLogEntry.objects.get(action="registrations.edit", object_id=str(registration.pk))
    assert entry.user == manager
    assert {"first_name", "answers"} <= set(entry.data["fields"])
    assert "John" not in str(entry.data)  # the log names the fields, never the personal data


def test_email_all_confirmed_attendees(manager_client, manager, event, django_capture_on_commit_callbacks):
    RegistrationFactory(event=event, email="un@example.org")
    RegistrationFactory(event=event, email="deux@example.org")
    RegistrationFactory(event=event, email="attente@example.org", status=RegistrationStatus.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("inscriptions:email_attendees", args=[event.pk]),
            {"subject": "Changement de salle", "message": "Rendez-vous salle 2."},
            follow=True,
        )
    assert "Message mis en file d'envoi pour 2 personne(s)." in text(response)
    assert sorted(message.to[0] for message in mail.outbox) == ["deux@example.org", "un@example.org"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    entry = PageLogEntry.objects.get(action="registrations.email_attendees", page=event)
    assert entry.user == manager and entry.data["recipients"] == 2


def test_message_to_attendees_is_a_service_that_records_who_wrote(manager, event, django_capture_on_commit_callbacks):
    """Only confirmed people with an address, never anonymised ones; the history keeps subject and count."""
    from django.utils import timezone

    from registrations import services

    RegistrationFactory(event=event, email="oui@example.org")
    RegistrationFactory(event=event, email="")  # a phone sign-up
    RegistrationFactory(event=event, email="efface@example.org", anonymized_at=timezone.now())
    RegistrationFactory(event=event, email="annulee@example.org", status=RegistrationStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_message_to_attendees(event, "Objet", "Texte.", by=manager)
    assert count == 1
    assert [(message.to, message.subject) for message in mail.outbox] == [(["oui@example.org"], "Objet")]
    entry = PageLogEntry.objects.get(action="registrations.email_attendees", page=event)
    assert entry.user == manager and entry.data == {"subject": "Objet", "recipients": 1}


def test_a_subject_with_a_line_break_is_collapsed_and_every_message_leaves(
    manager_client, event, django_capture_on_commit_callbacks
):
    """A pasted subject ("Changement\r\nde salle") once made every message fail while staff read "envoyé"."""
    for n in range(3):
        RegistrationFactory(event=event, email=f"p{n}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("inscriptions:email_attendees", args=[event.pk]),
            {"subject": "Changement\r\nde salle\u202e", "message": "Salle 2."},
            follow=True,
        )
    assert "pour 3 personne(s)" in text(response)
    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        (f"p{n}@example.org", "Changement de salle") for n in range(3)
    ]


def test_the_service_never_reports_messages_it_could_not_queue(manager, event):
    """A message the mail library refuses: a French error, nothing queued, nothing logged as written."""
    RegistrationFactory(event=event, email="oui@example.org")
    with (
        mock.patch("outbox.delivery.mime_bytes", side_effect=BadHeaderError("newline")),
        pytest.raises(services.RegistrationError, match="une seule ligne"),
    ):
        services.send_message_to_attendees(event, "Objet", "Texte.", by=manager)
    assert not OutgoingEmail.objects.exists()
    assert not PageLogEntry.objects.filter(action="registrations.email_attendees").exists()


def test_anonymised_registrations_cannot_be_edited(manager_client, event):
    from django.utils import timezone

    registration = RegistrationFactory(event=event, anonymized_at=timezone.now())
    response = manager_client.get(reverse("inscriptions:edit", args=[registration.pk]))
    assert response.status_code == 302


def test_history_shows_french_labels_of_staff_actions(manager_client, event):
    registration = RegistrationFactory(event=event)
    manager_client.post(
        reverse("inscriptions:edit", args=[registration.pk]),
        {"first_name": "Nouveau", "last_name": registration.last_name, "email": registration.email},
    )
    single(manager_client, "check_in_one", registration)
    html = manager_client.get(reverse("inscriptions:history", args=[registration.pk])).content.decode()
    start = html.index('<table class="listing')
    table = html[start : html.index("</table>", start)]  # the history rows, not the menus or the shortcuts
    assert "Coordonnées ou réponses modifiées" in table
    assert "gestion" in table  # who did it


def test_cancel_asks_for_confirmation_first(manager_client, event):
    registration = RegistrationFactory(event=event, first_name="Capucine")
    response = manager_client.get(bulk_url("cancel", [registration]))
    page = text(response)
    assert "Confirmer l'annulation" in page and "Capucine" in page
    assert 'name="notify" value="1" checked' in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_approving_when_full_says_waiting_list(manager_client, review_event):
    RegistrationFactory.create_batch(2, event=review_event)
    request = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING, first_name="Tardive")
    response = single(manager_client, "approve", request)
    request.refresh_from_db()
    assert request.status == RegistrationStatus.WAITLISTED
    assert f"{request.full_name} : plus de place libre" in text(response)


def test_phone_sign_ups_without_an_address(manager_client, home_page):
    """Older neighbours often have no e-mail: staff take them by phone, and nobody is e-mailed."""
    event = make_event(home_page, capacity=5)
    url = reverse("inscriptions:event_add", args=[event.pk])
    for first_name in ("Paulette", "Marcel"):
        response = manager_client.post(
            url, {"first_name": first_name, "last_name": "Voisin", "email": "", "phone": "03 80 00 00 00", "seats": "1"}
        )
        assert response.status_code == 302
    people = Registration.objects.filter(event=event, email="")
    assert sorted(people.values_list("first_name", flat=True)) == ["Marcel", "Paulette"]
    assert all(person.status == RegistrationStatus.CONFIRMED for person in people)
    assert mail.outbox == []

    # "Re-send the confirmation" cannot reach them: staff are told to phone instead.
    paulette = people.get(first_name="Paulette")
    response = single(manager_client, "resend", paulette)
    assert "pas d'adresse e-mail" in text(response)
    assert mail.outbox == []
