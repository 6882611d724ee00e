"""Every e-mail kind: the signed self-service link in both parts, working, and names escaped in HTML."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from registrations import services, tokens
from registrations.emails import STAFF_KINDS, SUBJECTS, build_email
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, make_registration, person
from tests.registrations.test_views import form_data

pytestmark = pytest.mark.django_db

NASTY = "<script>alert('x')</script>"
STATUS_OF_KIND = {
    "confirmed": RegistrationStatus.CONFIRMED,
    "waitlisted": RegistrationStatus.WAITLISTED,
    "pending": RegistrationStatus.PENDING,
    "approved": RegistrationStatus.CONFIRMED,
    "rejected": RegistrationStatus.REJECTED,
    "promoted": RegistrationStatus.CONFIRMED,
    "cancelled": RegistrationStatus.CANCELLED,
    "seat_cancelled": RegistrationStatus.CONFIRMED,
    "reminder": RegistrationStatus.CONFIRMED,
    "event_cancelled": RegistrationStatus.CONFIRMED,
    "event_moved": RegistrationStatus.CONFIRMED,
    "event_postponed": RegistrationStatus.CONFIRMED,
    "already_registered": RegistrationStatus.WAITLISTED,
    "offered": RegistrationStatus.OFFERED,
    "offer_reminder": RegistrationStatus.OFFERED,
    "offer_expired": RegistrationStatus.CANCELLED,
    "verify": RegistrationStatus.UNVERIFIED,
    "unverified_expired": RegistrationStatus.CANCELLED,
    "payment_expired": RegistrationStatus.CANCELLED,
    "payment_late": RegistrationStatus.CANCELLED,
    "date_cancelled": RegistrationStatus.CANCELLED,
    "date_changed": RegistrationStatus.CONFIRMED,
    "documents": RegistrationStatus.CONFIRMED,
}


def test_every_kind_is_covered():
    """Every registrant's kind; the team's (``STAFF_KINDS``) are tested in test_staff_notices.py."""
    assert set(STATUS_OF_KIND) == set(SUBJECTS) - STAFF_KINDS


@pytest.mark.parametrize("kind", list(STATUS_OF_KIND))
def test_each_email_carries_a_working_signed_link_and_escapes_names(client, home_page, kind):
    event = make_event(home_page, title="Atelier <b>gras</b> & cie", confirmation_message="<i>Salle</i> 2")
    registration = make_registration(
        event, first_name=NASTY, status=STATUS_OF_KIND[kind], expires_at=timezone.now() + datetime.timedelta(hours=2)
    )
    message = build_email(registration, kind)
    html = message.alternatives[0][0]

    match = re.search(r"http://localhost(/inscription/gerer/([^/\s]+)/)", message.body)
    assert match, message.body
    path, value = match.groups()
    assert tokens.read_manage_value(value) == registration.token  # signed, carries the random token
    assert f'href="http://localhost{path}"' in html

    assert NASTY not in html and "&lt;script&gt;" in html
    assert "<b>gras</b>" not in html
    assert "<i>Salle</i>" not in html
    assert f"Bonjour {NASTY}," in message.body  # plain text keeps the name as typed

    page = client.get(path)
    assert page.status_code == 200
    content = page.content.decode()
    assert NASTY not in content and "&lt;script&gt;" in content
    assert client.get(path + "agenda.ics").status_code == 200


def test_the_form_thanks_and_manage_pages_escape_what_people_typed(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations:register", args=[event.pk]),
            form_data(first_name=NASTY, last_name="<img src=x onerror=alert(1)>"),
        )
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert NASTY not in thanks and "<img src=x" not in thanks
    (message,) = mail.outbox
    assert NASTY not in message.alternatives[0][0]
    path = re.search(r"http://localhost(/inscription/gerer/[^/\s]+/)", message.body).group(1)
    manage = client.get(path).content.decode()
    assert NASTY not in manage and "<img src=x" not in manage and "&lt;script&gt;" in manage


def test_following_the_link_cancels_and_promotes_at_once(client, home_page, django_capture_on_commit_callbacks):
    event = make_event(home_page, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(event, **person(1))
        second = services.register(event, **person(2))
    assert second.status == RegistrationStatus.WAITLISTED
    link = re.search(r"http://localhost(/inscription/gerer/[^/\s]+/)", mail.outbox[0].body).group(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link + "annuler/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED)
    assert sorted(m.to[0] for m in mail.outbox) == ["camille1@example.org", "camille2@example.org"]
    assert "1 place restante" not in client.get(event.url).content.decode()
    assert "Complet" in client.get(event.url).content.decode()
