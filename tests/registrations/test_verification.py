"""Verified addresses: a web registration holds its seat until the click in its e-mail, then is decided."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from registrations import services
from registrations.models import Registration, RegistrationMode, RegistrationSource, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.test_views import form_data

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def manage_path(address):
    (message,) = [m for m in mail.outbox if m.to == [address] and m.subject.startswith("Confirmez votre adresse")]
    match = re.search(r"http://localhost(/inscription/gerer/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1), message


def test_a_web_registration_holds_its_seat_until_the_click(home_page, client, commit):
    event = make_event(home_page, capacity=1, verify_email=True)
    with commit():
        response = client.post(reverse("registrations:register", args=[event.pk]), form_data())
    assert response.status_code == 302
    assert "cliquez dans les 30 minutes sur le lien" in client.get(response["Location"]).content.decode()
    registration = Registration.objects.get()
    assert registration.status == S.UNVERIFIED and registration.holds_seats
    assert services.availability(event).seats_remaining == 0  # the hold counts against capacity
    assert services.register(event, **person(2), source=RegistrationSource.STAFF).status == S.WAITLISTED
    path, message = manage_path("camille@example.org")
    assert "30" not in message.subject and "avant le" in message.body
    page = client.get(path).content.decode()
    assert "Confirmer mon inscription" in page
    with commit():
        page = client.post(path + "confirmer/", follow=True).content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED and registration.verified_at
    assert "votre adresse e-mail est confirmée" in page
    assert any(m.subject.startswith("Inscription confirmée") for m in mail.outbox)


def test_an_unconfirmed_address_frees_its_seat_and_the_person_is_told(home_page, client, commit):
    event = make_event(home_page, capacity=1, verify_email=True)
    with commit():
        held = services.register(event, **person(1))
        waiting = services.register(event, **person(2), source=RegistrationSource.STAFF)
    assert waiting.status == S.WAITLISTED
    path, _message = manage_path("camille1@example.org")
    with freeze_time(held.expires_at + datetime.timedelta(seconds=1)):
        assert services.seats_remaining(event) == 1  # ignored by every figure at once
        with commit():
            assert services.expire_holds() == 1
        with commit():
            response = client.post(path + "confirmer/", follow=True)
    held.refresh_from_db()
    assert held.status == S.CANCELLED and held.cancelled_reason == "Adresse e-mail non confirmée à temps"
    told = [m for m in mail.outbox if m.to == ["camille1@example.org"] and "annulée" in m.subject]
    assert told and "recommencer votre inscription" in told[0].body
    assert "Le délai pour répondre est passé" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED  # the freed seat went to the waiting list


def test_the_click_without_a_held_seat_decides_like_a_new_request(home_page, commit):
    event = make_event(home_page, capacity=1, verify_email=True)
    with commit():
        services.register(event, **person(9), source=RegistrationSource.STAFF)
        late = services.register(event, **person(1))
    assert late.status == S.UNVERIFIED and not late.holds_seats
    assert services.verify_address(late).status == S.WAITLISTED
    assert late.waitlist_position() == 1


def test_in_review_mode_the_click_makes_a_pending_request(home_page, commit):
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW, verify_email=True)
    with commit():
        request = services.register(event, **person(1))
    assert request.status == S.UNVERIFIED and not request.holds_seats
    assert services.verify_address(request).status == S.PENDING


def test_staff_signups_skip_the_check(home_page, commit):
    event = make_event(home_page, verify_email=True)
    with commit():
        by_phone = services.register(event, **person(1), source=RegistrationSource.STAFF)
    assert by_phone.status == S.CONFIRMED and by_phone.expires_at is None


def test_a_second_click_changes_nothing(home_page, commit):
    event = make_event(home_page, verify_email=True)
    with commit():
        registration = services.verify_address(services.register(event, **person(1)))
    with pytest.raises(services.InvalidTransition):
        services.verify_address(registration)
    assert Registration.objects.get().status == S.CONFIRMED


def test_opening_the_link_alone_confirms_nothing(home_page, client, commit):
    """Mail scanners open links: only the button (a POST) confirms the address."""
    event = make_event(home_page, verify_email=True)
    with commit():
        registration = services.register(event, **person(1))
    path, _message = manage_path("camille1@example.org")
    assert client.get(path).status_code == 200
    assert client.get(path + "confirmer/").status_code == 405
    registration.refresh_from_db()
    assert registration.status == S.UNVERIFIED
