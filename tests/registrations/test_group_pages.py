"""A group books, names everyone, later gives back one seat through the link; e-mails and pages carry the QR code."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from registrations import services, tokens
from registrations.emails import CHECK_IN_CODE_CID, CHECK_IN_CODE_FILENAME
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.test_views import form_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    return make_event(home_page, capacity=3, max_seats_per_registration=3)


def names(n=3):
    rows = {2: ("Louise", "Bernard"), 3: ("Nour", "Haddad")}
    data = {}
    for number in range(2, n + 1):
        data[f"companion_{number}_first_name"], data[f"companion_{number}_last_name"] = rows[number]
    return data


def manage(registration, action="manage", *args):
    return reverse(f"registrations:{action}", args=[tokens.make_manage_value(registration), *args])


def test_the_form_offers_one_labelled_row_per_extra_seat(client, event):
    html = client.get(url(event)).content.decode()
    for number in (2, 3):
        assert f"<legend>Personne {number}</legend>" in html
        assert f'<label for="id_companion_{number}_first_name">Prénom de la personne {number}</label>' in html
    assert "companions.js" in html


def test_the_form_has_no_rows_when_one_seat_is_the_limit(client, home_page):
    html = client.get(url(make_event(home_page))).content.decode()
    assert "companion_" not in html


def test_names_are_stored_in_order(client, event, commit):
    with commit():
        response = client.post(url(event), {**form_data(seats="3"), **names(3)})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert [p.full_name for p in registration.attendees.order_by("position")] == [
        "Camille Martin",
        "Louise Bernard",
        "Nour Haddad",
    ]


def test_missing_names_are_refused_in_french_and_nothing_is_stored(client, event, commit):
    with commit():
        response = client.post(url(event), {**form_data(seats="3"), **names(2)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous réservez 3 places : indiquez le prénom et le nom des 2 personnes qui vous accompagnent" in html
    assert "(vous en avez indiqué 1)" in html
    assert not Registration.objects.exists()


def test_names_beyond_the_seats_are_refused(client, event, commit):
    with commit():
        response = client.post(url(event), {**form_data(seats="1"), **names(2)})
    assert "Vous réservez une seule place mais avez indiqué d&#x27;autres personnes" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_row_with_half_a_name_points_at_the_missing_field(client, event, commit):
    data = {**form_data(seats="2"), "companion_2_first_name": "Louise"}
    with commit():
        response = client.post(url(event), data)
    html = response.content.decode()
    assert "Indiquez le nom de la personne 2." in html
    assert 'href="#id_companion_2_last_name"' in html


def test_confirmation_email_carries_the_qr_code_inline_and_the_names(event, commit):
    with commit():
        services.register(event, **person(1), seats=2, companions=[{"first_name": "Louise", "last_name": "Bernard"}])
    (message,) = mail.outbox
    images = [a for a in message.attachments if a[2] == "image/png"]
    assert len(images) == 1 and images[0][0] == CHECK_IN_CODE_FILENAME
    assert images[0][1].startswith(b"\x89PNG")
    html = message.alternatives[0][0]
    assert f'src="cid:{CHECK_IN_CODE_CID}"' in html
    assert "Personnes inscrites : Camille Martin1, Louise Bernard" in message.body
    assert "code-entree.png" in message.body


def test_waiting_list_email_has_no_code(home_page, commit):
    event = make_event(home_page, capacity=0)
    with commit():
        services.register(event, **person(1))
    (message,) = mail.outbox
    assert not [a for a in message.attachments if a[2] == "image/png"]


def test_self_service_page_shows_the_group_the_code_and_a_cancel_button_per_person(client, event):
    registration = services.register(
        event, **person(1), seats=2, companions=[{"first_name": "Louise", "last_name": "Bernard"}]
    )
    html = client.get(manage(registration)).content.decode()
    assert "Camille Martin1" in html and "Louise Bernard" in html
    assert "Annuler la place de Louise Bernard" in html
    assert "Annuler la place de Camille Martin1" in html
    assert re.search(r'<svg role="img"[^>]*class="check-in-code"><title>', html)
    assert "<title>Code QR d'entrée de Camille Martin1</title>" in html


def test_no_code_on_the_page_of_a_waiting_person(client, home_page):
    event = make_event(home_page, capacity=0)
    waiting = services.register(event, **person(1))
    assert "check-in-code" not in client.get(manage(waiting)).content.decode()


def test_one_seat_cancelled_through_the_link_goes_to_the_waiting_list(client, event, commit):
    group = services.register(
        event,
        **person(1),
        seats=3,
        companions=[{"first_name": "Louise", "last_name": "Bernard"}, {"first_name": "Nour", "last_name": "Haddad"}],
    )
    waiting = services.register(event, **person(2))
    louise = group.attendees.get(first_name="Louise")
    confirm_url = manage(group, "manage_cancel_seat", louise.pk)

    page = client.post(confirm_url)  # the button on the page: a confirmation first, nothing done yet
    assert page.status_code == 200
    assert "Annuler la place de Louise Bernard ?" in page.content.decode()
    assert group.attendees.filter(cancelled_at__isnull=False).count() == 0

    mail.outbox.clear()
    with commit():
        response = client.post(confirm_url, {"confirmer": "oui"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "La place de Louise Bernard est annulée" in page
    assert "Annuler la place de Louise Bernard" not in page
    group.refresh_from_db()
    waiting.refresh_from_db()
    assert group.seats == 2 and group.status == RegistrationStatus.CONFIRMED
    assert waiting.status == RegistrationStatus.CONFIRMED
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects[0].startswith("Une place annulée sur votre inscription")
    assert subjects[1].startswith("Une place s'est libérée")


def test_a_seat_of_another_registration_cannot_be_cancelled_with_my_link(client, event):
    mine = services.register(event, **person(1), seats=2)
    theirs = services.register(event, **person(2), seats=2)
    response = client.post(
        manage(mine, "manage_cancel_seat", theirs.attendees.get(position=2).pk), {"confirmer": "oui"}
    )
    assert response.status_code == 404
    assert theirs.attendees.filter(cancelled_at__isnull=False).count() == 0


def test_a_forged_link_cancels_nothing(client, event):
    registration = services.register(event, **person(1), seats=2)
    attendee = registration.attendees.get(position=2)
    path = reverse("registrations:manage_cancel_seat", args=["faux-lien", attendee.pk])
    assert client.post(path, {"confirmer": "oui"}).status_code == 400
    assert registration.attendees.filter(cancelled_at__isnull=False).count() == 0
