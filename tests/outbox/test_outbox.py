"""The outbox as Django's e-mail backend: every way the site sends mail lands there and leaves intact."""

import datetime
import io
import smtplib
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.mail import send_mail as wagtail_send_mail

from outbox import checks, delivery, errors
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from registrations import services, tasks
from tests.registrations.factories import person

pytestmark = pytest.mark.django_db
Status = OutgoingEmailStatus


def a_rich_message():
    message = EmailMultiAlternatives(
        "Programme : été", "Bonjour,\nvoici le programme.\n", to=["a@example.org"], bcc=["cachee@example.org"]
    )
    message.attach_alternative("<p>Bonjour, voici le <b>programme</b>.</p>", "text/html")
    message.attach("programme.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("plan.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")
    return message


def test_a_message_is_queued_then_delivered_intact_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert a_rich_message().send() == 1
        assert mail.outbox == []  # nothing leaves before the commit
    row = OutgoingEmail.objects.get()
    assert row.status == Status.SENT and row.recipient_list == ["a@example.org", "cachee@example.org"]
    (delivered,) = mail.outbox
    assert delivered.subject == "Programme : été" and delivered.body == "Bonjour,\nvoici le programme.\n"
    assert delivered.alternatives == [("<p>Bonjour, voici le <b>programme</b>.</p>", "text/html")]
    assert [(a.filename, a.mimetype) for a in delivered.attachments] == [
        ("programme.ics", "text/calendar"),
        ("plan.pdf", "application/pdf"),
    ]
    assert delivered.attachments[1].content == b"%PDF-1.4 \x00\xff"
    assert delivered.recipients() == ["a@example.org", "cachee@example.org"]
    assert "cachee@example.org" not in bytes(row.mime).decode()  # Bcc stays off the headers


def test_smtp_receives_exactly_the_stored_bytes(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a_rich_message().send()
    row = OutgoingEmail.objects.get()
    ((recipients, data),) = smtp_server.received
    assert recipients == ["a@example.org", "cachee@example.org"]
    assert data.rstrip(b"\r\n") == bytes(row.mime).rstrip(b"\r\n")


def test_django_wagtail_and_password_reset_mail_all_go_through_the_outbox(client):
    send_mail("Sujet", "Texte", None, ["django@example.org"])
    wagtail_send_mail("Page soumise à modération", "Texte", ["moderation@example.org"])
    get_user_model().objects.create_user("redaction", "redaction@example.org", "un-mot-de-passe-long")
    client.post(reverse("wagtailadmin_password_reset"), {"email": "redaction@example.org"})
    rows = {row.recipients: row for row in OutgoingEmail.objects.all()}
    assert set(rows) == {"django@example.org", "moderation@example.org", "redaction@example.org"}
    assert b"Auto-Submitted: auto-generated" in bytes(rows["moderation@example.org"].mime)
    assert mail.outbox == []  # still in the test's transaction: queued, not sent


def test_a_subject_with_a_line_break_is_refused_when_queued_not_later():
    with pytest.raises(mail.BadHeaderError):
        send_mail("Sujet\r\nBcc: victime@example.org", "Texte", None, ["a@example.org"])
    assert not OutgoingEmail.objects.exists()


def test_sent_and_failed_mail_is_purged_after_the_retention_period(settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    recent = timezone.now() - datetime.timedelta(days=5)
    OutgoingEmail.objects.create(status=Status.SENT, recipients="vieux@example.org", sent_at=old)
    OutgoingEmail.objects.create(status=Status.FAILED, recipients="echec@example.org", last_attempt_at=old)
    OutgoingEmail.objects.create(status=Status.SENT, recipients="recent@example.org", sent_at=recent)
    OutgoingEmail.objects.create(status=Status.QUEUED, recipients="attente@example.org", next_attempt_at=old)
    out = io.StringIO()
    call_command("anonymize_registrations", "--dry-run", stdout=out)
    assert "2 e-mail(s) envoyé(s) seraient supprimés (plus de 30 jours)" in out.getvalue()
    assert OutgoingEmail.objects.count() == 4
    out = io.StringIO()
    call_command("anonymize_registrations", stdout=out)
    assert "2 e-mail(s) envoyé(s) supprimé(s) (plus de 30 jours)" in out.getvalue()
    assert sorted(OutgoingEmail.objects.values_list("recipients", flat=True)) == [
        "attente@example.org",
        "recent@example.org",
    ]


def test_the_outbox_must_deliver_through_a_real_transport(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "outbox.backends.OutboxBackend"
    assert [error.id for error in checks.delivery_backend_is_a_transport(None)] == ["outbox.E001"]
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert [error.id for error in checks.delivery_backend_is_a_transport(None)] == ["outbox.W001"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert checks.delivery_backend_is_a_transport(None) == []


@pytest.mark.parametrize(
    ("error", "words", "permanent"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "refuse la connexion", False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "coupé la connexion", False),
        (TimeoutError("timed out"), "ne répond pas", False),
        (socket.gaierror(-2, "Name or service not known"), "nom du serveur d'envoi est introuvable", False),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), "identifiant ou le mot de passe", False),
        (smtplib.SMTPSenderRefused(451, b"4.3.0 Try later", "a@b.c"), "451 4.3.0 Try later", False),
        (smtplib.SMTPSenderRefused(553, b"5.7.1 Sender refused", "a@b.c"), "553 5.7.1 Sender refused", True),
        (smtplib.SMTPRecipientsRefused({"x@y.z": (550, b"5.1.1 Unknown")}), "x@y.z : 550 5.1.1 Unknown", True),
        (mail.BadHeaderError("Header values can't contain newlines"), "retour à la ligne", True),
        (UnicodeEncodeError("idna", "é", 0, 1, "label empty"), "Message invalide", True),
    ],
)
def test_each_failure_has_a_french_reason_and_is_retried_only_when_it_can_help(error, words, permanent):
    assert words in errors.describe(error)
    assert errors.is_permanent(error) is permanent


def test_tasks_left_from_before_the_outbox_hand_their_mail_to_it(event, django_capture_on_commit_callbacks):
    """A server upgraded with mail still in its task queue: those tasks now queue in the outbox."""
    registration = services.register(event, **person(1))
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_registration_email.call(registration.pk, "confirmed", 3) == "queued"
        assert tasks.send_attendee_message.call(registration.pk, "Salle\nchangée", "Salle 2.") == "queued"
        assert tasks.send_attendee_message.call(registration.pk + 1, "Objet", "Texte") == "skipped"
    assert sorted(message.subject for message in mail.outbox) == [
        f"Inscription confirmée : {event.title}",
        "Salle changée",
    ]


def test_resend_only_touches_failed_mail(event):
    services.register(event, **person(1))
    row = OutgoingEmail.objects.get()
    assert delivery.resend(row.pk) is False  # queued: nothing to do
    OutgoingEmail.objects.update(status=Status.FAILED, attempts=delivery.MAX_ATTEMPTS)
    assert delivery.resend(row.pk) is True
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.QUEUED, 0)
