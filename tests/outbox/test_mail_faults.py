"""Mail under faults: a server that refuses, one that never answers, a worker stopped or killed.

Every test runs with the production task queue (django_tasks_db, tasks are
rows in the same database) and Django's real SMTP backend talking to a server
on the loopback (``smtp_servers.py``). The outcomes asserted are the ones
people notice: no request waits for the mail server, no registration is lost
or kept without its e-mail, every e-mail leaves exactly once when mail comes
back, and one that finally fails is marked failed (its task too) for staff.
"""

import datetime
import io
import threading
import time
from email import message_from_bytes, policy

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from core import antirobot
from home.contact import STARTED_FIELD, STARTED_SALT
from outbox import delivery
from outbox.models import OutgoingEmail, OutgoingEmailStatus
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.home.factories import ContactPageFactory
from tests.outbox.conftest import run_worker
from tests.registrations.factories import make_event, person
from tests.registrations.test_views import form_data

pytestmark = pytest.mark.django_db
Status = OutgoingEmailStatus
MINUTE = datetime.timedelta(minutes=1)


def received_subjects(server):
    return sorted(
        str(message_from_bytes(data, policy=policy.default)["Subject"]).strip() for _to, data in server.received
    )


# ---------------------------------------------------------------------------
# The outbox is transactional


def test_a_registration_rolled_back_leaves_no_mail(event, database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register(event, **person(1))
        assert OutgoingEmail.objects.count() == 1 and DBTaskResult.objects.count() == 1  # written with it…
        raise RuntimeError("the request fails before its commit")
    assert not Registration.objects.exists()
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()  # …and gone with it


def test_a_committed_registration_has_its_mail_and_its_task_at_once(event, database_queue):
    """No after-commit step: nothing can be lost between the registration's commit and the enqueue."""
    with transaction.atomic():
        registration = services.register(event, **person(1))
    row = OutgoingEmail.objects.get()
    task_row = DBTaskResult.objects.get()
    assert (row.status, row.recipient_list, row.task_id) == (Status.QUEUED, [registration.email], str(task_row.pk))
    assert task_row.args_kwargs["args"] == [str(row.pk)]


# ---------------------------------------------------------------------------
# A server that refuses


def test_a_refusing_server_is_retried_over_a_day_then_the_mail_is_marked_failed(event, database_queue, refusing_smtp):
    start = timezone.now().replace(microsecond=0)
    with freeze_time(start) as clock:
        services.register(event, **person(1))
        row = OutgoingEmail.objects.get()
        waits = []
        for _attempt in range(delivery.MAX_ATTEMPTS):
            assert len(run_worker()) == 1  # the one task due now; the next one waits for its time
            row.refresh_from_db()
            if row.status == Status.QUEUED:
                waits.append(row.next_attempt_at - timezone.now())
                assert run_worker() == []  # not before its time
                clock.move_to(row.next_attempt_at)
    assert waits == [MINUTE * m for m in (1, 5, 15, 60, 180, 360, 720, 720)]
    assert sum(waits, datetime.timedelta()) >= datetime.timedelta(hours=24)
    assert (row.status, row.attempts) == (Status.FAILED, delivery.MAX_ATTEMPTS)
    assert "refuse la connexion" in row.last_error
    results = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", "exception_class_path"))
    assert results[:-1] == [("SUCCESSFUL", "")] * (delivery.MAX_ATTEMPTS - 1)  # each: "retry" scheduled
    assert results[-1] == ("FAILED", "outbox.delivery.DeliveryFailed")  # the last one is not "successful"
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_a_recipient_refused_for_good_fails_at_once_and_one_refused_for_now_is_retried(
    event, database_queue, smtp_server
):
    smtp_server.rcpt_reply = "550 5.1.1 Mailbox unknown"
    services.register(event, **person(1))
    run_worker()
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "refuse le ou les destinataires" in row.last_error and "550" in row.last_error
    smtp_server.rcpt_reply = "451 4.7.1 Try again later"
    services.register(event, **person(2))
    run_worker()
    second = OutgoingEmail.objects.exclude(pk=row.pk).get()
    assert (second.status, second.attempts) == (Status.QUEUED, 1) and "451" in second.last_error
    assert smtp_server.received == []


# ---------------------------------------------------------------------------
# A server that accepts and never answers


def test_no_request_waits_for_a_server_that_never_answers(
    client, home_page, event, database_queue, hanging_smtp, settings
):
    """Contact form, password reset and registration answer at once: none of them talks to SMTP."""
    settings.EMAIL_TIMEOUT = 20  # the old timeout: what keeps requests fast is not a short one
    contact = ContactPageFactory(parent=home_page)
    get_user_model().objects.create_user("redaction", "redaction@example.org", "un-mot-de-passe-long")
    posts = [
        (contact.url, contact_message(), 200),
        (reverse("wagtailadmin_password_reset"), {"email": "redaction@example.org"}, 302),
        (reverse("registrations:register", args=[event.pk]), form_data(), 302),
    ]
    for url, data, expected in posts:
        started = time.monotonic()
        response = client.post(url, data)
        elapsed = time.monotonic() - started
        assert response.status_code == expected, url
        assert elapsed < 5, f"{url} took {elapsed:.1f} s"
    assert hanging_smtp.accepted == 0  # no request even opened a connection
    assert OutgoingEmail.objects.filter(status=Status.QUEUED).count() == 3
    assert sorted(address for row in OutgoingEmail.objects.all() for address in row.recipient_list) == [
        "camille@example.org",
        "equipe@example.org",
        "redaction@example.org",
    ]

    settings.EMAIL_TIMEOUT = 1
    started = time.monotonic()
    run_worker()  # the worker waits, EMAIL_TIMEOUT per message, and records why
    assert time.monotonic() - started < 3 * 1 + 5
    assert hanging_smtp.accepted == 3
    for row in OutgoingEmail.objects.all():
        assert (row.status, row.attempts) == (Status.QUEUED, 1)
        assert "ne répond pas" in row.last_error


# ---------------------------------------------------------------------------
# Mail comes back: everything leaves, once


def test_when_mail_returns_every_mail_of_the_outage_leaves_exactly_once(client, home_page, database_queue, settings):
    """Twelve sign-ups (one waiting), a cancellation with its promotion and a contact message during an outage."""
    contact = ContactPageFactory(parent=home_page)
    event = make_event(home_page, capacity=10)
    with freeze_time(timezone.now()) as clock:
        settings.OUTBOX_DELIVERY_BACKEND = "tests.home.failing_mail.FailingBackend"
        for n in range(12):
            response = client.post(
                reverse("registrations:register", args=[event.pk]), form_data(email=f"p{n}@example.org")
            )
            assert response.status_code == 302
        services.cancel(Registration.objects.get(email="p0@example.org"))
        client.post(contact.url, contact_message())
        run_worker()
        assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(Status.QUEUED, 1)}
        clock.tick(delivery.RETRY_DELAYS[0])
        settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        run_worker()
        out = io.StringIO()
        call_command("send_queued_emails", stdout=out)
        assert out.getvalue().strip() == "0 e-mail(s) relancé(s)."  # every retry had its task
    sent = [(message.to[0], message.subject.split(" :")[0]) for message in mail.outbox]
    expected = [(f"p{n}@example.org", "Inscription confirmée") for n in range(10)]
    expected += [("p10@example.org", "Liste d'attente"), ("p11@example.org", "Liste d'attente")]
    expected += [("p0@example.org", "Inscription annulée"), ("p10@example.org", "Une place s'est libérée")]
    expected += [("equipe@example.org", "Message du site")]
    assert sorted(sent) == sorted(expected)  # 15 queued, 15 delivered, none twice
    assert OutgoingEmail.objects.filter(status=Status.SENT).count() == len(expected)


# ---------------------------------------------------------------------------
# A worker stopped or killed


def test_a_mail_committed_while_no_worker_runs_leaves_when_one_starts(event, database_queue, smtp_server):
    services.register(event, **person(1))
    assert delivery.requeue_lost() == 0  # its task waits in the queue: nothing to add
    with freeze_time(timezone.now() + datetime.timedelta(hours=2)):
        assert delivery.requeue_lost() == 0  # still waiting: a stopped worker picks it up when restarted
        run_worker()
    assert received_subjects(smtp_server) == [f"Inscription confirmée : {event.title}"]
    assert OutgoingEmail.objects.get().status == Status.SENT
    assert run_worker() == [] and len(smtp_server.received) == 1


def test_a_worker_killed_before_sending_leaves_the_mail_to_the_next_one(event, database_queue, smtp_server):
    """What a `kill -9` mid-task leaves: the task "running" for ever, the message claimed but not sent."""
    services.register(event, **person(1))
    task_row = DBTaskResult.objects.get()
    task_row.claim("killed-worker")
    killed_at = timezone.now()
    OutgoingEmail.objects.update(status=Status.SENDING, claimed_at=killed_at, attempts=1)
    assert run_worker() == []  # django-tasks never runs a "running" task again
    assert delivery.requeue_lost() == 0  # within the lease the worker may only be slow
    with freeze_time(killed_at + delivery.SENDING_LEASE + MINUTE):
        call_command("send_queued_emails")
        run_worker()
        assert delivery.requeue_lost() == 0
        assert run_worker() == []
    assert len(smtp_server.received) == 1
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (Status.SENT, 2)


def test_a_worker_killed_after_the_server_accepted_sends_again_rather_than_lose(event, database_queue, smtp_server):
    """The one window left (documented in outbox/delivery.py): at least once, never lost, same Message-ID."""
    services.register(event, **person(1))
    run_worker()
    row = OutgoingEmail.objects.get()
    OutgoingEmail.objects.update(status=Status.SENDING, claimed_at=row.sent_at, sent_at=None)  # "sent" never written
    with freeze_time(row.sent_at + delivery.SENDING_LEASE + MINUTE):
        delivery.requeue_lost()
        run_worker()
    first, second = (message_from_bytes(data, policy=policy.default) for _to, data in smtp_server.received)
    assert first["Message-ID"] == second["Message-ID"]
    assert OutgoingEmail.objects.get().status == Status.SENT


def test_two_tasks_for_one_message_send_it_once(event, database_queue, smtp_server):
    services.register(event, **person(1))
    row = OutgoingEmail.objects.get()
    delivery.deliver_email.enqueue(str(row.pk))  # a duplicate, as a second sweep or worker might make
    assert [task_row.return_value for task_row in run_worker()] == ["sent", "skipped"]
    assert len(smtp_server.received) == 1


class SlowBackend(LocmemBackend):
    """An accepting server that takes its time, so that two workers overlap."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks between connections)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_two_workers_at_once_send_a_message_once(home_page, settings):
    settings.OUTBOX_DELIVERY_BACKEND = "tests.outbox.test_mail_faults.SlowBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    event = make_event(home_page)
    services.register(event, **person(1))
    row = OutgoingEmail.objects.get()
    barrier = threading.Barrier(4)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=10)
            outcomes.append(delivery.deliver(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == Status.SENT


def contact_message():
    """A contact-form post as a person sends it (the form carries its signed start time)."""
    return {
        "nom": "Camille",
        "e_mail": "camille@example.org",
        "message": "Bonjour",
        STARTED_FIELD: antirobot.make_started(STARTED_SALT),
    }
