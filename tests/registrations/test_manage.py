"""Self-service without an account: the signed link, cancelling, erasing, the .ics."""

import datetime

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from registrations import services, tokens
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def manage(registration, action="manage"):
    return reverse(f"registrations:{action}", args=[tokens.make_manage_value(registration)])


def test_valid_link_shows_status_and_actions(client, home_page):
    event = make_event(home_page, capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    response = client.get(manage(waiting))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Sur liste d&#x27;attente" in html and "position 1" in html
    assert event.title in html
    assert "Je ne peux plus venir" in html and "Effacer mes données" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html


def test_tampered_link_is_refused(client, event):
    registration = services.register(event, **person(1))
    value = tokens.make_manage_value(registration)
    response = client.get(reverse("registrations:manage", args=[value[:-2] + "xy"]))
    assert response.status_code == 400
    assert "pas valable" in response.content.decode()
    # A value signed for another purpose (the form's start time) does not open self-service.
    other = reverse(
        "registrations:manage", args=[signing.TimestampSigner(salt=tokens.FORM_SALT).sign(registration.token)]
    )
    assert client.get(other).status_code == 400


def test_link_expires_thirty_days_after_the_event(client, event):
    registration = services.register(event, **person(1))
    path = manage(registration)
    with freeze_time(event.start + datetime.timedelta(days=29)):
        assert client.get(path).status_code == 200
    with freeze_time(event.start + datetime.timedelta(days=31)):
        response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    assert "nouveau lien" in response.content.decode()
    with freeze_time(timezone.now() + datetime.timedelta(days=500)):
        assert client.get(path).status_code == 410


def test_cancel_is_post_only_frees_the_seat_and_promotes(client, home_page, commit):
    event = make_event(home_page, capacity=1)
    first = services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    path = manage(first, "manage_cancel")
    assert client.get(path).status_code == 405
    first.refresh_from_db()
    assert first.status == S.CONFIRMED
    with commit():
        response = client.post(path)
    assert response.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == S.CANCELLED
    assert first.cancelled_reason == "Annulée par la personne inscrite"
    assert waiting.status == S.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {first.email, waiting.email}
    page = client.get(response["Location"]).content.decode()
    assert "Votre inscription est annulée" in page
    assert "Je ne peux plus venir</button>" not in page
    # A second click changes nothing and sends nothing.
    mail.outbox.clear()
    with commit():
        assert client.post(path).status_code == 302
    assert mail.outbox == []


def test_cancel_requires_csrf(event):
    from django.test import Client

    registration = services.register(event, **person(1))
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(manage(registration, "manage_cancel")).status_code == 403
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_erase_cancels_then_anonymises(client, home_page, commit):
    event = make_event(home_page, capacity=1)
    first = services.register(event, **person(1), phone="0612345678")
    waiting = services.register(event, **person(2))
    path = manage(first)
    with commit():
        response = client.post(manage(first, "manage_erase"), {"confirmer": "oui"})
    assert response.status_code == 200
    assert "Vos données sont effacées" in response.content.decode()
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    assert first.email.endswith("@invalid") and first.phone == ""
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert client.get(path).status_code == 400  # the old link is dead
    assert [m.to[0] for m in mail.outbox] == [waiting.email]  # no mail to an erased address


def test_calendar_download(client, event):
    registration = services.register(event, **person(1))
    response = client.get(manage(registration, "manage_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert event.title.encode() in response.content
