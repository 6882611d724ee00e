"""The door screen, one line per person: name search, one tap each, the QR code form; the staff forms name groups."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from registrations import services, tokens
from registrations.figures import event_figures
from registrations.models import Registration
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

COMPANIONS = [{"first_name": "Louise", "last_name": "Bernard"}, {"first_name": "Nour", "last_name": "Haddad"}]


@pytest.fixture
def group(event):
    return services.register(event, **person(1), seats=3, companions=COMPANIONS, source="staff")


def door(event):
    return reverse("inscriptions:check_in", args=[event.pk])


def messages_of(response):
    """The messages shown, as text (Wagtail renders them as HTML)."""
    return [unescape(str(message)).strip() for message in response.context["messages"]]


def test_each_person_has_a_line_and_a_search_finds_the_companions(manager_client, event, group):
    page = manager_client.get(door(event)).content.decode()
    for attendee in group.attendees.all():
        assert f'id="a{attendee.pk}"' in page
    assert "avec Camille Martin1" in page and "a réservé 3 places" in page
    found = manager_client.get(door(event), {"q": "Martin1"}).content.decode()  # the registrant's name
    assert "Bernard Louise" in found and "Haddad Nour" in found
    only = manager_client.get(door(event), {"q": "Haddad"}).content.decode()
    assert "Haddad Nour" in only and "Bernard Louise" not in only


def test_one_tap_checks_in_one_person(manager_client, event, group):
    louise = group.attendees.get(first_name="Louise")
    response = manager_client.post(reverse("inscriptions:attendee_check_in", args=[louise.pk]), follow=True)
    assert "Présence enregistrée : Louise Bernard." in messages_of(response)
    assert event_figures(event).present == 1
    assert "1 présent·es sur 3 places confirmées." in response.content.decode()
    manager_client.post(reverse("inscriptions:attendee_check_out", args=[louise.pk]))
    assert event_figures(event).present == 0


def test_a_cancelled_seat_is_off_the_door_screen(manager_client, event, group):
    nour = group.attendees.get(first_name="Nour")
    services.cancel_attendee(nour)
    assert f'id="a{nour.pk}"' not in manager_client.get(door(event)).content.decode()


def test_the_door_screen_offers_the_reader_camera_photo_and_typed_code(manager_client, event):
    page = manager_client.get(door(event)).content.decode()
    assert "registrations/vendor/jsqr/jsQR.js" in page and "registrations/js/check-in-scanner.js" in page
    assert 'type="file" accept="image/*" capture="environment"' in page
    assert '<label for="checkin-photo">' in page and '<label for="checkin-code">' in page
    assert reverse("inscriptions:check_in_code", args=[event.pk]) in page


def test_a_scanned_code_checks_the_group_in_and_says_who(manager_client, event, group):
    code = tokens.make_check_in_value(group)
    response = manager_client.post(reverse("inscriptions:check_in_code", args=[event.pk]), {"code": code}, follow=True)
    assert messages_of(response) == [
        "Code accepté : 3 personnes pointées présentes : Camille Martin1, Louise Bernard, Nour Haddad."
    ]
    assert event_figures(event).present == 3


@pytest.mark.parametrize(
    ("make_code", "message"),
    [
        (
            lambda group, other: tokens.make_check_in_value(other),
            "Ce code est celui d'un autre événement : « Repair café »",
        ),
        (lambda group, other: tokens.make_check_in_value(group) + "0", "signature invalide"),
        (lambda group, other: "   ", "Aucun code lu"),
    ],
)
def test_a_code_that_lets_nobody_in_is_refused_clearly(manager_client, home_page, event, group, make_code, message):
    other_event = make_event(home_page, title="Repair café", slug="repair-cafe")
    other = services.register(other_event, **person(2))
    response = manager_client.post(
        reverse("inscriptions:check_in_code", args=[event.pk]), {"code": make_code(group, other)}, follow=True
    )
    assert any(message in text for text in messages_of(response)), messages_of(response)
    assert event_figures(event).present == 0 and event_figures(other_event).present == 0


def test_a_cancelled_registration_code_is_refused(manager_client, event, group):
    services.cancel(group)
    response = manager_client.post(
        reverse("inscriptions:check_in_code", args=[event.pk]), {"code": tokens.make_check_in_value(group)}, follow=True
    )
    assert messages_of(response) == ["Cette inscription est annulée."]


def test_only_registration_managers_check_people_in(editor_client, event, group):
    code = tokens.make_check_in_value(group)
    response = editor_client.post(reverse("inscriptions:check_in_code", args=[event.pk]), {"code": code})
    assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect home
    louise = group.attendees.get(first_name="Louise")
    response = editor_client.post(reverse("inscriptions:attendee_check_in", args=[louise.pk]))
    assert response.status_code in (302, 403)
    assert "pointage" not in response.get("Location", "")
    assert event_figures(event).present == 0


def test_staff_add_form_names_some_and_placeholders_the_rest(manager_client, event):
    response = manager_client.post(
        reverse("inscriptions:event_add", args=[event.pk]),
        {
            "first_name": "Paul",
            "last_name": "Durand",
            "email": "",
            "seats": "3",
            "companion_2_first_name": "Inès",
            "companion_2_last_name": "Durand",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(last_name="Durand")
    assert [p.full_name for p in registration.attendees.order_by("position")] == [
        "Paul Durand",
        "Inès Durand",
        "Accompagnant·e 3 de Paul Durand",
    ]


def test_staff_add_form_refuses_more_names_than_seats(manager_client, event):
    response = manager_client.post(
        reverse("inscriptions:event_add", args=[event.pk]),
        {
            "first_name": "Paul",
            "last_name": "Durand",
            "seats": "1",
            "companion_2_first_name": "Inès",
            "companion_2_last_name": "D",
        },
    )
    assert response.status_code == 200
    assert "Vous réservez une seule place" in response.content.decode()
    assert not Registration.objects.exists()


def test_staff_edit_renames_a_placeholder_companion(manager_client, event):
    registration = services.register(event, **person(1), seats=2, source="staff")
    companion = registration.attendees.get(position=2)
    edit = reverse("inscriptions:edit", args=[registration.pk])
    form = manager_client.get(edit).content.decode()
    assert "Accompagnant·e 2 de Camille" in form
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille1@example.org",
        "organisation": "",
        "phone": "",
        f"attendee_{companion.pk}_first_name": "Louise",
        f"attendee_{companion.pk}_last_name": "Bernard",
        f"attendee_{companion.pk}_email": "",
    }
    assert manager_client.post(edit, data).status_code == 302
    assert [p.full_name for p in registration.attendees.order_by("position")] == ["Camille Martin", "Louise Bernard"]


def test_signin_sheet_html_lists_each_person(manager_client, event, group):
    html = manager_client.get(reverse("inscriptions:signin_html", args=[event.pk])).content.decode()
    for line in ("MARTIN1 Camille", "BERNARD Louise", "HADDAD Nour"):
        assert line in html
    assert "(3 places)" not in html


def test_the_event_page_names_the_group(manager_client, event, group):
    html = manager_client.get(reverse("inscriptions:event", args=[event.pk])).content.decode()
    assert "avec Louise Bernard, Nour Haddad" in html


def test_staff_cancel_one_seat_after_a_confirmation_and_the_waiting_list_gets_it(
    manager_client, home_page, django_capture_on_commit_callbacks
):
    event = make_event(home_page, capacity=3, max_seats_per_registration=3)
    group = services.register(event, **person(1), seats=3, companions=COMPANIONS)
    waiting = services.register(event, **person(2))
    nour = group.attendees.get(first_name="Nour")
    edit = manager_client.get(reverse("inscriptions:edit", args=[group.pk])).content.decode()
    cancel_url = reverse("inscriptions:attendee_cancel", args=[nour.pk])
    assert cancel_url in edit and "Annuler la place de Nour Haddad" in edit
    page = manager_client.get(cancel_url).content.decode()
    assert "Seule la place de Nour Haddad est annulée" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(cancel_url, {}, follow=True)  # box unticked: the registrant is not told
    assert "Place annulée : Nour Haddad." in messages_of(response)
    group.refresh_from_db()
    waiting.refresh_from_db()
    assert group.seats == 2 and waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["camille2@example.org"]]  # only the promoted person's mail
    entry = ModelLogEntry.objects.get(action="registrations.cancel_attendee")
    assert entry.data == {"attendee": 3}  # the rank, never the name


def test_the_listing_search_finds_a_booking_by_a_companions_name(manager_client, event, group):
    other = services.register(event, **person(2))
    html = manager_client.get(reverse("inscriptions:index"), {"q": "Haddad"}).content.decode()
    assert "camille1@example.org" in html
    assert other.email not in html
