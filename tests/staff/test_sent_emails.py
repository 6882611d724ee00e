"""Staff see the mail: "E-mails envoyés" lists every message with its status and reason, resends failed ones.

Messages hold addresses, names and self-service links: only the registrations
group (and superusers) see them.
"""

import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox import delivery
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from tests.staff.test_access import body as raw_body

Status = OutgoingEmailStatus
SECRET_ADDRESS = "zephyrine.secret@example.org"
REASON = "Le serveur d'envoi refuse la connexion : est-il arrêté ?"


@pytest.fixture
def failed(db):
    return OutgoingEmail.objects.create(
        status=Status.FAILED,
        recipients=SECRET_ADDRESS,
        subject="Inscription confirmée : Atelier numérique",
        mime=delivery.mime_bytes(
            mail.EmailMessage("Inscription confirmée : Atelier numérique", "Bonjour Zéphyrine", to=[SECRET_ADDRESS])
        ),
        attempts=delivery.MAX_ATTEMPTS,
        last_attempt_at=timezone.now(),
        last_error=REASON,
    )


@pytest.fixture
def sent(db):
    return OutgoingEmail.objects.create(
        status=Status.SENT,
        recipients="camille@example.org",
        subject="Rappel : Atelier",
        attempts=1,
        sent_at=timezone.now(),
    )


def body(response):
    return html.unescape(raw_body(response))


def outbox_urls(row):
    return [
        reverse("emails_envoyes:index"),
        reverse("emails_envoyes:index") + "?status=failed",
        reverse("emails_envoyes:inspect", args=[row.pk]),
        reverse("emails_envoyes:resend", args=[row.pk]),
        reverse("emails_envoyes:resend_failed"),
        reverse("emails_envoyes:edit", args=[row.pk]),
        reverse("emails_envoyes:delete", args=[row.pk]),
        reverse("emails_envoyes:add"),
    ]


def test_editors_outside_the_group_are_refused_the_mail(editor_client, failed):
    for url in outbox_urls(failed):
        response = editor_client.get(url)
        assert response.status_code in (302, 403), url
        assert SECRET_ADDRESS not in body(response), url
    response = editor_client.post(reverse("emails_envoyes:resend", args=[failed.pk]))
    assert response.status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == Status.FAILED
    assert reverse("emails_envoyes:index") not in editor_client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, failed):
    for url in outbox_urls(failed):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_the_listing_shows_status_attempts_and_the_reason_in_french(manager_client, failed, sent):
    page = manager_client.get(reverse("emails_envoyes:index"))
    assert page.status_code == 200
    text = body(page)
    assert "E-mails envoyés" in text
    for column in ("Destinataires", "Objet", "Statut", "Tentatives", "Dernière erreur", "Créé", "Envoyé"):
        assert column in text, column
    assert SECRET_ADDRESS in text and "camille@example.org" in text
    assert "Échec" in text and "Envoyé" in text
    assert "refuse la connexion : est-il arrêté ?" in text
    assert "Renvoyer tous les échecs" in text

    only_failed = body(manager_client.get(reverse("emails_envoyes:index") + "?status=failed"))
    assert SECRET_ADDRESS in only_failed and "camille@example.org" not in only_failed
    assert reverse("emails_envoyes:resend", args=[failed.pk]) in only_failed
    assert reverse("emails_envoyes:resend", args=[sent.pk]) not in body(
        manager_client.get(reverse("emails_envoyes:index"))
    )


def test_the_detail_shows_what_was_written(manager_client, failed):
    page = body(manager_client.get(reverse("emails_envoyes:inspect", args=[failed.pk])))
    assert "Texte du message" in page and "Bonjour Zéphyrine" in page
    assert REASON in page and reverse("emails_envoyes:resend", args=[failed.pk]) in page


def test_nobody_edits_or_deletes_a_message_by_hand(manager_client, failed):
    for url in (
        reverse("emails_envoyes:edit", args=[failed.pk]),
        reverse("emails_envoyes:delete", args=[failed.pk]),
        reverse("emails_envoyes:add"),
    ):
        assert manager_client.get(url).status_code in (302, 403), url
    assert OutgoingEmail.objects.filter(pk=failed.pk).exists()


def test_renvoyer_queues_a_failed_message_again_and_it_leaves(
    manager_client, failed, django_capture_on_commit_callbacks
):
    url = reverse("emails_envoyes:resend", args=[failed.pk])
    confirm = body(manager_client.get(url))
    assert SECRET_ADDRESS in confirm and REASON in confirm and "Renvoyer des e-mails" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url, follow=True)
    assert "1 e-mail remis en file d'envoi." in body(response)
    failed.refresh_from_db()
    assert failed.status == Status.SENT and failed.attempts == 1  # a fresh series of attempts, and it went
    (message,) = mail.outbox
    assert message.to == [SECRET_ADDRESS] and message.body.strip() == "Bonjour Zéphyrine"


def test_renvoyer_tous_les_echecs(manager_client, failed, sent, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    other = OutgoingEmail.objects.create(status=Status.FAILED, recipients="b@example.org", subject="Autre")
    response = manager_client.post(reverse("emails_envoyes:resend_failed"), follow=True)
    assert "2 e-mails remis en file d'envoi." in body(response)
    assert set(OutgoingEmail.objects.filter(pk__in=[failed.pk, other.pk]).values_list("status", flat=True)) == {
        Status.QUEUED
    }
    assert OutgoingEmail.objects.get(pk=sent.pk).status == Status.SENT


def test_the_dashboard_warns_the_group_when_a_mail_failed(manager_client, editor_client, sent):
    home = reverse("wagtailadmin_home")
    quiet = body(manager_client.get(home))
    assert "n'a pas pu être envoyé" not in quiet  # nothing wrong, nothing shown
    assert reverse("emails_envoyes:index") in quiet  # but the menu leads to the listing
    OutgoingEmail.objects.create(status=Status.FAILED, recipients=SECRET_ADDRESS, subject="Rappel", last_error=REASON)
    page = body(manager_client.get(home))
    assert "1 e-mail n'a pas pu être envoyé." in page
    assert reverse("emails_envoyes:index") + "?status=failed" in page
    assert "n'a pas pu être envoyé" not in body(editor_client.get(home))


def test_the_dashboard_warns_when_mail_waits_long_after_it_was_due(manager_client, db):
    """A worker that is not running: messages pile up "en attente"."""
    OutgoingEmail.objects.create(
        status=Status.QUEUED, recipients="a@example.org", next_attempt_at=timezone.now() - delivery.LATE_AFTER * 2
    )
    assert "attend depuis plus d'une heure" in body(manager_client.get(reverse("wagtailadmin_home")))
