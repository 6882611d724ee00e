"""Contact form: messages reach the team; robots, floods and oversized input are refused at the door."""

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from freezegun import freeze_time
from wagtail.contrib.forms.models import FormSubmission

from core import antirobot
from home.contact import HONEYPOT_FIELD, STARTED_FIELD, STARTED_SALT
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from tests.home.factories import ContactPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_delay(fast_forms):
    """The anti-robot delay and the rate limits have their own tests below, which set them back."""


@pytest.fixture
def contact(home_page):
    return ContactPageFactory(parent=home_page)


def message(**extra):
    data = {
        "nom": "Camille Martin",
        "e_mail": "camille@example.org",
        "message": "Puis-je visiter le lieu ?",
        STARTED_FIELD: antirobot.make_started(STARTED_SALT),
        **extra,
    }
    return {key: value for key, value in data.items() if value is not None}


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
    assert set(FormSubmission.objects.get().form_data) == {"nom", "e_mail", "message"}
    assert STARTED_FIELD not in sent.body
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


def test_an_oversized_message_is_refused_in_french_and_nothing_is_kept(client, contact):
    """A 9.9 MB message used to be stored and mailed."""
    response = client.post(contact.url, message(message="x" * 9_900_000, nom="N" * 300))

    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce texte est trop long : 5000 caractères au plus (il en compte 9900000)" in body
    assert "Ce texte est trop long : 255 caractères au plus (il en compte 300)" in body
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []
    assert 'maxlength="5000"' in client.get(contact.url).content.decode()


def test_every_field_is_cleaned_by_the_one_normaliser(client, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after commit
        client.post(
            contact.url,
            message(
                nom="\u202eCamille\x1b\r\nMartin\u200b",  # NUL is refused at the door (config/input_guard.py)
                e_mail=" camille@exa\u200bmple.org ",
                message="Bonjour\x01,\r\n\r\nune visite\u202e ?\x0b",
            ),
        )

    data = FormSubmission.objects.get().form_data
    assert data == {"nom": "Camille Martin", "e_mail": "camille@example.org", "message": "Bonjour,\n\nune visite ?"}
    assert "\u202e" not in mail.outbox[0].body and "\x01" not in mail.outbox[0].body


def test_too_fast_forged_or_replayed_start_times_are_refused_and_the_message_kept(client, contact, settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 3
    assert "envoyé trop vite" in unescape(client.post(contact.url, message()).content.decode())
    assert "a expiré" in unescape(client.post(contact.url, message(**{STARTED_FIELD: "x:y:z"})).content.decode())
    started = antirobot.make_started(STARTED_SALT)
    with freeze_time(timezone.now() + datetime.timedelta(seconds=10)):
        assert (
            "Merci pour votre message" in client.post(contact.url, message(**{STARTED_FIELD: started})).content.decode()
        )
        replay = client.post(contact.url, message(**{STARTED_FIELD: started}, message="Encore moi"))
    html = unescape(replay.content.decode())
    assert "vient déjà d'être envoyé" in html and "Encore moi" in html
    fresh = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', html).group(1)
    assert fresh != started
    assert FormSubmission.objects.count() == 1 and OutgoingEmail.objects.count() == 1  # one notice queued


def test_a_form_left_open_for_days_keeps_the_message_and_can_be_sent_again(client, contact):
    started = antirobot.make_started(STARTED_SALT)
    with freeze_time(timezone.now() + datetime.timedelta(days=2)):
        html = unescape(
            client.post(contact.url, message(**{STARTED_FIELD: started}, message="Mon long message")).content.decode()
        )
        assert "a expiré" in html and "Mon long message" in html
        fresh = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', html).group(1)
        assert (
            "Merci pour votre message" in client.post(contact.url, message(**{STARTED_FIELD: fresh})).content.decode()
        )
    assert FormSubmission.objects.count() == 1


def test_rate_limit_per_ip_keeps_the_message_and_stores_nothing(client, contact, settings):
    """31 posts in 6 s used to be accepted."""
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for n in range(10):
        assert client.post(contact.url, message(e_mail=f"p{n}@example.org")).status_code == 200
    response = client.post(contact.url, message(e_mail="p11@example.org", message="Le onzième"))

    assert response.status_code == 429
    html = unescape(response.content.decode())
    assert "Trop de messages en peu de temps" in html and "Le onzième" in html
    assert FormSubmission.objects.count() == 10 and OutgoingEmail.objects.count() == 10


def test_rate_limit_per_sender_counts_only_valid_messages(client, contact, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for n in range(6):  # junk carrying the address (a required field missing) counts for nobody
        client.post(contact.url, message(nom=""), REMOTE_ADDR=f"10.0.0.{n}")
    for n in range(5):
        response = client.post(contact.url, message(), REMOTE_ADDR=f"10.0.1.{n}")
        assert "Merci pour votre message" in response.content.decode()
    assert client.post(contact.url, message(), REMOTE_ADDR="10.0.2.1").status_code == 429
    assert client.post(contact.url, message(e_mail="autre@example.org"), REMOTE_ADDR="10.0.2.2").status_code == 200
    assert FormSubmission.objects.count() == 6
