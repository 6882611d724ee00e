"""Contact form: messages reach the team; robots filling the honeypot are dropped silently."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from home.models import HONEYPOT_FIELD
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from tests.home.factories import ContactPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(home_page):
    return ContactPageFactory(parent=home_page)


def message(**extra):
    return {"nom": "Camille Martin", "e_mail": "camille@example.org", "message": "Puis-je visiter le lieu ?", **extra}


def test_form_shows_labelled_fields_and_a_hidden_trap(client, contact):
    body = client.get(contact.url).content.decode()
    assert '<label for="id_nom">Nom' in body
    assert 'class="form-field form-field--trap" aria-hidden="true"' in body
    assert "Ne pas remplir ce champ" in body


def test_a_normal_message_is_saved_and_mailed_to_the_team(client, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, message())

    assert response.status_code == 200
    assert "Merci pour votre message" in response.content.decode()
    assert FormSubmission.objects.filter(page=contact).count() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["equipe@example.org"]
    assert sent.subject == "Message du site"
    assert "Puis-je visiter le lieu ?" in sent.body
    assert "camille@example.org" in sent.body
    assert HONEYPOT_FIELD not in FormSubmission.objects.get().form_data
    assert OutgoingEmail.objects.get().status == OutgoingEmailStatus.SENT  # through the outbox, like every mail


def test_a_robot_filling_the_honeypot_is_not_saved_nor_mailed(client, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, message(**{HONEYPOT_FIELD: "http://spam.example"}))

    assert response.status_code == 200
    assert "Merci pour votre message" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()


def test_missing_fields_are_reported_next_to_the_field_and_summarised(
    client, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, message(nom=""))

    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'href="#id_nom"' in body
    assert 'id="id_nom-error"' in body
    assert 'aria-describedby="id_nom-error"' in body and 'aria-invalid="true"' in body
    assert mail.outbox == []


def test_a_mail_server_failure_keeps_the_message(client, contact, settings, caplog, django_capture_on_commit_callbacks):
    """The request never talks to the mail server: the message is kept and its e-mail waits for a retry."""
    settings.OUTBOX_DELIVERY_BACKEND = "tests.home.failing_mail.FailingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, message())

    assert response.status_code == 200
    assert "Merci pour votre message" in response.content.decode()
    assert FormSubmission.objects.filter(page=contact).count() == 1
    queued = OutgoingEmail.objects.get()
    assert (queued.status, queued.attempts, queued.recipient_list) == (
        OutgoingEmailStatus.QUEUED,
        1,
        ["equipe@example.org"],
    )
    assert "refuse la connexion" in queued.last_error and queued.next_attempt_at is not None
    assert mail.outbox == []
    assert "attempt 1/9 failed" in caplog.text
