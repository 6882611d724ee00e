"""What staff type and send is cleaned and bounded like the public form: no hidden characters, no 500."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from registrations.models import Registration
from tests.registrations.factories import RegistrationFactory, add_question

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def test_adding_by_hand_stores_clean_names_and_answers(manager_client, event):
    question = add_question(event, "Commentaire")
    response = manager_client.post(
        reverse("inscriptions:event_add", args=[event.pk]),
        {
            "first_name": "Zoé\u202e",
            "last_name": "Martin\r\nDupont",
            "organisation": "\u200bOcim\x1b",
            "email": "zoe@Example.ORG",
            "seats": "1",
            question.answer_key: "En retard\r\nde 10 min\u200b",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.first_name, registration.last_name, registration.organisation) == (
        "Zoé",
        "Martin Dupont",
        "Ocim",
    )
    assert registration.email == "zoe@example.org"
    assert registration.answers == {question.answer_key: "En retard de 10 min"}


@pytest.mark.parametrize("email", ["a@\u202eexample.org", "a@localhost", "a@[127.0.0.1]"])
def test_staff_forms_refuse_undeliverable_addresses(manager_client, event, email):
    response = manager_client.post(
        reverse("inscriptions:event_add", args=[event.pk]),
        {"first_name": "A", "last_name": "B", "email": email, "seats": "1"},
    )
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in text(response)
    registration = RegistrationFactory(event=event)
    response = manager_client.post(
        reverse("inscriptions:edit", args=[registration.pk]),
        {"first_name": "A", "last_name": "B", "email": email, "organisation": "", "phone": ""},
    )
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in text(response)
    assert not Registration.objects.filter(email=email).exists()


def test_a_subject_with_a_line_break_reaches_every_attendee_on_one_line(
    manager_client, event, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event, email="un@example.org")
    RegistrationFactory(event=event, email="deux@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            reverse("inscriptions:email_attendees", args=[event.pk]),
            {"subject": "Changement\r\nde salle\u202e", "message": "Rendez-vous\r\nsalle 2.\x1b"},
        )
    assert sorted(message.to[0] for message in mail.outbox) == ["deux@example.org", "un@example.org"]
    for message in mail.outbox:
        assert message.subject == "Changement de salle"
        assert message.body == "Rendez-vous\nsalle 2."
        message.message()  # the headers as sent: a line break in the subject raised BadHeaderError


def test_check_in_search_survives_hostile_queries(manager_client, event):
    RegistrationFactory(event=event, first_name="Bastien", last_name="Roux")
    url = reverse("inscriptions:check_in", args=[event.pk])
    assert manager_client.get(url, {"q": "Bas\x00tien"}).status_code == 400  # was a 500 on PostgreSQL
    assert "Bastien" in text(manager_client.get(url, {"q": "bas\u200btien\u202e"}))
    assert manager_client.get(url, {"q": "x" * 1_000_000}).status_code == 200
    many_words = manager_client.get(url, {"q": "bastien roux " + "a " * 5000})
    assert many_words.status_code == 200
    assert "Bastien" in text(many_words)  # the first words still filter


@pytest.mark.parametrize(
    "period",
    [
        {"date_from": "2025-01-01", "date_to": "9999-12-31"},  # was a 500 (date overflow)
        {"date_from": "0001-01-01", "date_to": "2025-12-31"},
        {"date_from": "1899-01-01", "date_to": "2025-12-31", "format": "xlsx"},
    ],
)
def test_report_dates_out_of_range_get_a_french_form_error(manager_client, period):
    response = manager_client.get(reverse("inscriptions_rapports:index"), period)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Choisissez une date entre 2000 et 2100." in text(response)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2025-13-45", "Saisissez une date valide."),
        ("demain", "Saisissez une date valide."),
        ("9" * 5000, "Saisissez une date valide."),
        ("\u202e2025-01-01", "Saisissez une date valide."),
        ("", "Champ requis."),
    ],
)
def test_report_dates_that_are_not_dates_get_a_form_error(manager_client, value, error):
    response = manager_client.get(reverse("inscriptions_rapports:index"), {"date_from": value, "date_to": value})
    assert response.status_code == 200
    assert error in text(response)
