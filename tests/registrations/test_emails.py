"""E-mails: one per event in a registration's life, each with a working self-service link."""

import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from home.models import SiteSettings
from outbox import delivery
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.test_views import form_data

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion refusée")


def manage_path(message):
    match = re.search(r"http://localhost(/inscription/gerer/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def html_of(message):
    return message.alternatives[0][0]


def check_common(message, registration, client, subject_start):
    assert message.subject.startswith(subject_start), message.subject
    assert registration.event.title in message.subject
    assert message.to == [registration.email]
    assert "La Coursive Boutaric — 33 place Galilée, 21000 Dijon" in message.body
    assert "33 place Galilée" in html_of(message)
    path = manage_path(message)
    assert path in html_of(message)
    page = client.get(path)
    assert page.status_code == 200
    assert registration.email in page.content.decode()


def ics_of(message):
    attachments = [a for a in message.attachments if a[2] == "text/calendar"]
    assert len(attachments) == 1
    return Calendar.from_ical(attachments[0][1])


def test_confirmed_email_has_link_and_calendar(client, home_page, commit):
    event = make_event(home_page, confirmation_message="Salle au premier étage.")
    with commit():
        registration = services.register(event, **person(1))
    (message,) = mail.outbox
    check_common(message, registration, client, "Inscription confirmée")
    assert "Salle au premier étage." in message.body
    calendar = ics_of(message)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.start.replace(microsecond=0)


def test_waitlisted_email_gives_position(client, home_page, commit):
    event = make_event(home_page, capacity=1)
    with commit():
        services.register(event, **person(1))
        waiting = services.register(event, **person(2))
    message = mail.outbox[-1]
    check_common(message, waiting, client, "Liste d'attente")
    assert "position 1" in message.body
    assert not message.attachments


def test_review_emails(client, home_page, commit):
    event = make_event(home_page, registration_mode="review", capacity=5)
    with commit():
        first = services.register(event, **person(1))
        second = services.register(event, **person(2))
    check_common(mail.outbox[0], first, client, "Demande d'inscription reçue")
    assert "pas encore confirmée" in mail.outbox[0].body
    mail.outbox.clear()
    with commit():
        services.approve(first)
        services.reject(second)
    approved, rejected = mail.outbox
    check_common(approved, first, client, "Inscription acceptée")
    ics_of(approved)
    check_common(rejected, second, client, "Demande d'inscription non retenue")


def test_cancel_and_promotion_emails(client, home_page, commit):
    event = make_event(home_page, capacity=1)
    with commit():
        first = services.register(event, **person(1))
        waiting = services.register(event, **person(2))
    mail.outbox.clear()
    with commit():
        services.cancel(first)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    check_common(by_recipient[first.email], first, client, "Inscription annulée")
    waiting.refresh_from_db()
    promoted = by_recipient[waiting.email]
    check_common(promoted, waiting, client, "Une place s'est libérée")
    assert "votre inscription est confirmée" in promoted.body
    ics_of(promoted)


def test_cancel_without_notification(home_page, commit):
    event = make_event(home_page)
    registration = services.register(event, **person(1))
    with commit():
        services.cancel(registration, notify=False)
    assert mail.outbox == []


def test_resend_confirmation_sends_current_status(client, event, commit):
    registration = services.register(event, **person(1))
    with commit():
        services.resend_confirmation(registration)
    check_common(mail.outbox[0], registration, client, "Inscription confirmée")


def test_failing_mail_server_never_loses_the_registration(client, event, commit, settings, caplog):
    settings.OUTBOX_DELIVERY_BACKEND = "tests.registrations.test_emails.FailingBackend"
    with commit():
        response = client.post(reverse("registrations:register", args=[event.pk]), form_data())
    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert "Vérifiez votre boîte mail" in client.get(response["Location"]).content.decode()
    queued = OutgoingEmail.objects.get()  # kept for the next attempt, with the reason for staff
    assert (queued.status, queued.attempts) == (OutgoingEmailStatus.QUEUED, 1)
    assert "coupé la connexion" in queued.last_error
    assert "attempt 1/9 failed" in caplog.text


@pytest.fixture
def deferred_tasks(settings):
    """A task queue that keeps what is enqueued (the database queue's behaviour, without a worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = delivery.deliver_email.get_backend()
    backend.clear()
    return backend


def test_failed_sending_is_retried_later_when_the_queue_can_defer(event, settings, deferred_tasks):
    settings.OUTBOX_DELIVERY_BACKEND = "tests.registrations.test_emails.FailingBackend"
    registration = services.register(event, **person(1))
    row = OutgoingEmail.objects.get()
    (queued,) = deferred_tasks.results  # enqueued with the registration, not after it
    assert queued.args == [str(row.pk)]
    deferred_tasks.clear()
    assert delivery.deliver_email.call(str(row.pk)) == "retry"
    (retry,) = deferred_tasks.results
    row.refresh_from_db()
    assert retry.args == [str(row.pk)] and retry.task.run_after == row.next_attempt_at
    assert delivery.deliver_email.call(str(row.pk)) == "skipped"  # not due yet
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver_email.call(str(row.pk)) == "sent"
    (message,) = mail.outbox
    assert message.to == [registration.email] and message.subject.startswith("Inscription confirmée")
    assert delivery.deliver_email.call(str(row.pk)) == "skipped"  # once only
    assert len(mail.outbox) == 1


def test_anonymised_registrations_get_no_mail(event, deferred_tasks):
    registration = services.register(event, **person(1))
    services.anonymize(registration)
    (row,) = OutgoingEmail.objects.all()
    assert delivery.deliver(row.pk) == "discarded"
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()


def test_the_e_mail_is_built_by_the_worker_not_under_the_event_lock(event, deferred_tasks):
    """The decision writes one small row; templates and calendar are rendered when the mail leaves."""
    registration = services.register(event, **person(1))
    row = OutgoingEmail.objects.get()
    assert row.mime is None and row.builder == "registrations.emails.build_registration_email"
    assert (row.subject, row.recipient_list) == (f"Inscription confirmée : {event.title}", [registration.email])
    assert delivery.deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert row.mime and row.status == OutgoingEmailStatus.SENT
    ics_of(mail.outbox[0])


def test_footer_uses_the_address_from_the_site_settings(event, commit):
    from wagtail.models import Site

    site_settings = SiteSettings.for_site(Site.objects.get())
    site_settings.address = "Maison de quartier\n1 rue de l'Exemple\n21000 Dijon"
    site_settings.save()
    with commit():
        services.register(event, **person(1))
    assert "La Coursive Boutaric — Maison de quartier, 1 rue de l'Exemple, 21000 Dijon" in mail.outbox[0].body


def test_moved_event_notice_carries_the_updated_calendar(home_page, commit):
    import datetime

    event = make_event(home_page)
    services.register(event, **person(1))
    event.start += datetime.timedelta(days=2)
    with commit():
        event.save_revision().publish()
    (message,) = mail.outbox
    (vevent,) = ics_of(message).walk("VEVENT")
    assert vevent.decoded("dtstart") == event.start.replace(microsecond=0)


def test_a_title_with_a_line_break_no_longer_stops_the_event_s_e_mails(home_page, commit):
    """Old data (typed before the editor forms cleaned it): the subject header and the .ics stay one line."""
    event = make_event(home_page)
    type(event).objects.filter(pk=event.pk).update(title="Atelier\r\nvélo\u202e")
    event.refresh_from_db()
    with commit():
        services.register(event, **person(1))
    (message,) = mail.outbox
    assert message.subject == "Inscription confirmée : Atelier vélo"
    message.message()  # the headers as they would be sent: a line break raised BadHeaderError here
    (vevent,) = ics_of(message).walk("VEVENT")
    assert str(vevent["summary"]) == "Atelier vélo"


def test_footer_names_the_association_once_when_the_address_starts_with_it(client, home_page, commit):
    """The site settings' address usually begins with the name; the footer must not say it twice."""
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.address = "La Coursive Boutaric\n33 place Galilée\n21000 Dijon"
    site_settings.save()
    event = make_event(home_page)
    with commit():
        services.register(event, **person(1))
    (message,) = mail.outbox
    assert "La Coursive Boutaric — 33 place Galilée, 21000 Dijon" in message.body
    assert "Boutaric — La Coursive Boutaric" not in message.body
