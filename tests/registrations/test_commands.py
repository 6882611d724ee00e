"""Cron commands: reminders (once each) and anonymisation after the retention period."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_reminders_once_each(home_page, commit):
    soon = make_event(home_page, start=timezone.now() + datetime.timedelta(hours=30))
    later = make_event(home_page, start=timezone.now() + datetime.timedelta(days=5))
    confirmed = make_registration(soon)
    make_registration(soon, status=S.WAITLISTED)
    make_registration(soon, status=S.CANCELLED)
    make_registration(later)
    with commit():
        output = run("send_reminders")
    assert "1 rappel(s) envoyé(s)" in output
    (message,) = mail.outbox
    assert message.to == [confirmed.email]
    assert message.subject.startswith("Rappel : ")
    assert "/inscription/gerer/" in message.body
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None
    with commit():
        assert "0 rappel(s)" in run("send_reminders")
    assert len(mail.outbox) == 1
    with commit():
        assert "1 rappel(s)" in run("send_reminders", "--hours", "200")


def test_no_reminder_for_cancelled_events(home_page, commit):
    event = make_event(home_page, start=timezone.now() + datetime.timedelta(hours=5), status="cancelled")
    make_registration(event)
    with commit():
        assert "0 rappel(s)" in run("send_reminders")


def test_anonymize_after_retention(home_page, settings):
    settings.REGISTRATION_RETENTION_DAYS = 180
    old = make_event(
        home_page,
        start=timezone.now() - datetime.timedelta(days=200),
        end=timezone.now() - datetime.timedelta(days=190),
    )
    recent = make_event(home_page, start=timezone.now() - datetime.timedelta(days=20))
    gone = make_registration(old, organisation="Asso", phone="0600000000", answers={"q1": "oui"})
    gone.checked_in_at = timezone.now() - datetime.timedelta(days=200)
    gone.save()
    kept = make_registration(recent)
    assert "Simulation : 1 inscription(s)" in run("anonymize_registrations", "--dry-run")
    assert Registration.objects.filter(anonymized_at__isnull=False).count() == 0
    assert "1 inscription(s) anonymisée(s)" in run("anonymize_registrations")
    gone.refresh_from_db()
    assert gone.email == f"anonyme-{gone.pk}@invalid"
    assert (gone.last_name, gone.organisation, gone.phone, gone.answers) == ("", "", "", {})
    assert gone.status == S.CONFIRMED and gone.seats == 1 and gone.checked_in_at is not None
    kept.refresh_from_db()
    assert kept.anonymized_at is None
    assert "0 inscription(s) anonymisée(s)" in run("anonymize_registrations")


def test_anonymize_refuses_a_negative_period(home_page):
    from django.core.management.base import CommandError

    upcoming = make_registration(make_event(home_page))
    with pytest.raises(CommandError, match="positif ou nul"):
        run("anonymize_registrations", "--days", "-1")
    upcoming.refresh_from_db()
    assert upcoming.anonymized_at is None
