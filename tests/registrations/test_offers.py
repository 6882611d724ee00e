"""First fit, offers from the waiting list and their deadlines: services, e-mails, the self-service page, staff."""

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from core.dates import format_datetime
from events.models import EventPage, EventStatus
from registrations import services, tokens
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus
HOUR = datetime.timedelta(hours=1)


def offers_event(home_page, **fields):
    """Offers on (the model's default, off in the other tests), 24 h each."""
    return make_event(home_page, **{"waitlist_offers": True, "waitlist_offer_hours": 24, **fields})


def mails_to(address, starting=""):
    return [m for m in mail.outbox if m.to == [address] and m.subject.startswith(starting)]


def manage_path(message):
    match = re.search(r"http://localhost(/inscription/gerer/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def admin_page(client, admin_user, event):
    client.force_login(admin_user)
    return client.get(reverse("inscriptions:event", args=[event.pk])).content.decode()


def tiles(html):
    """The admin tiles as {label: value}."""
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))


# ---------------------------------------------------------------------------
# The scenario: 12 seats, up to 4 per person


def test_the_last_seat_goes_to_the_one_seat_request_and_every_figure_agrees(home_page, commit, client, admin_user):
    event = make_event(home_page, capacity=12, max_seats_per_registration=4)
    with commit():
        for n, seats in enumerate((4, 4, 3)):
            assert services.register(event, seats=seats, **person(n)).status == S.CONFIRMED
        pair = services.register(event, seats=2, **person(10))
    assert pair.status == S.WAITLISTED
    # One seat free, a 2-seat request waiting: the public badge, the tiles and the button say "1 free".
    assert services.availability(event).state == "open"
    assert "1 place restante" in client.get(event.url).content.decode()
    assert tiles(admin_page(client, admin_user, event))["Places restantes"] == "1"
    response = client.post(reverse("inscriptions:promote_waitlist", args=[event.pk]), follow=True)
    assert "1 place libre, mais aucune demande en attente ne tient dans cette place." in response.content.decode()
    client.logout()

    with commit():
        single = services.register(event, seats=1, **person(11))
    assert single.status == S.CONFIRMED
    pair.refresh_from_db()
    assert pair.status == S.WAITLISTED and pair.waitlist_position() == 1
    availability = services.availability(event)
    assert (availability.state, availability.seats_remaining) == ("full_waitlist", 0)
    assert "Complet — liste d'attente" in unescape(client.get(event.url).content.decode())
    html = admin_page(client, admin_user, event)
    assert tiles(html)["Places restantes"] == "0"
    assert tiles(html)["Places confirmées"] == "12 / 12"
    assert str(services.ALLOCATION_RULE) in html.replace("&#x27;", "'")  # the rule, in one sentence, beside the tiles


# ---------------------------------------------------------------------------
# Offers


@pytest.fixture
def offered(home_page, commit):
    """Full event (2 seats) with offers on; Camille 2 is cancelled: Camille 3 is offered the seat, Camille 4 waits."""
    event = offers_event(home_page, capacity=2)
    with commit():
        services.register(event, **person(1))
        leaving = services.register(event, **person(2))
        first = services.register(event, **person(3))
        second = services.register(event, **person(4))
    mail.outbox.clear()
    with commit():
        services.cancel(leaving)
    first.refresh_from_db()
    return event, first, second


def test_a_freed_seat_is_offered_held_and_mailed_with_its_deadline(offered, client):
    event, first, second = offered
    assert first.status == S.OFFERED and first.holds_seats
    assert first.expires_at == first.status_changed_at + 24 * HOUR
    assert services.seats_remaining(event) == 0  # held for the offer: nobody else takes it
    assert services.register(event, **person(5)).status == S.WAITLISTED
    (message,) = mails_to("camille3@example.org", "Une place vous est proposée")
    assert format_datetime(first.expires_at) in message.body  # "3 décembre 2026 à 12 h 24"
    page = client.get(manage_path(message)).content.decode()
    assert "Je prends la place" in page and "Je laisse ma place" in page
    assert 'method="post"' in page


def test_accepting_through_the_link_confirms(offered, client, commit):
    event, first, second = offered
    path = manage_path(mails_to("camille3@example.org", "Une place vous est proposée")[0])
    with commit():
        response = client.post(path + "accepter/", follow=True)
    first.refresh_from_db()
    assert first.status == S.CONFIRMED and not first.holds_seats and first.promoted_at
    assert "la place est à vous" in response.content.decode()
    assert mails_to("camille3@example.org", "Inscription confirmée")
    assert services.seats_remaining(event) == 0
    second.refresh_from_db()
    assert second.status == S.WAITLISTED


def test_declining_through_the_link_offers_the_seat_to_the_next_one(offered, client, commit):
    event, first, second = offered
    path = manage_path(mails_to("camille3@example.org", "Une place vous est proposée")[0])
    with commit():
        response = client.post(path + "laisser/", follow=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.CANCELLED
    assert "votre place est libérée pour quelqu'un d'autre" in unescape(response.content.decode())
    assert second.status == S.OFFERED
    assert mails_to("camille4@example.org", "Une place vous est proposée")


def test_an_expired_offer_holds_nothing_and_the_next_read_passes_it_on(offered, client, commit):
    event, first, second = offered
    path = manage_path(mails_to("camille3@example.org", "Une place vous est proposée")[0])
    with freeze_time(first.expires_at + datetime.timedelta(seconds=1)):
        assert services.seats_taken(event) == 1  # ignored at once by every figure
        with commit():
            assert services.availability(event).state == "full_waitlist"  # the read released it under the lock
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == S.CANCELLED and first.cancelled_reason == "Place proposée non acceptée à temps"
        assert second.status == S.OFFERED
        assert mails_to("camille3@example.org", "Place proposée à la personne suivante")
        with commit():
            response = client.post(path + "accepter/", follow=True)
    page = response.content.decode()
    assert "Le délai pour répondre est passé" in page
    first.refresh_from_db()
    assert first.status == S.CANCELLED


def test_accepting_after_the_deadline_when_nothing_read_it_before(offered, client, commit):
    event, first, second = offered
    path = manage_path(mails_to("camille3@example.org", "Une place vous est proposée")[0])
    with freeze_time(first.expires_at + HOUR), commit():
        response = client.post(path + "accepter/")
    assert response.status_code == 302 and response["Location"].endswith("?erreur=delai")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.CANCELLED, S.OFFERED)
    with pytest.raises(services.InvalidTransition):
        services.accept_offer(first)


def test_the_command_releases_expired_holds_once_and_reminds_once(offered, commit):
    event, first, second = offered
    with freeze_time(first.expires_at - 2 * HOUR):  # offer made 22 h ago, ends in 2 h
        with commit():
            call_command("expire_holds", stdout=open("/dev/null", "w"))  # noqa: SIM115
            call_command("expire_holds", stdout=open("/dev/null", "w"))  # noqa: SIM115
        (reminder,) = mails_to("camille3@example.org", "Rappel : une place vous attend")
        assert format_datetime(first.expires_at) in reminder.body
        assert "/inscription/gerer/" in reminder.body
    with freeze_time(first.expires_at + HOUR), commit():
        assert services.expire_holds() == 1
        assert services.expire_holds() == 0
    second.refresh_from_db()
    assert second.status == S.OFFERED
    assert len(mails_to("camille4@example.org", "Une place vous est proposée")) == 1


def test_a_fresh_offer_is_not_reminded_at_once(home_page, commit):
    event = offers_event(home_page, capacity=1, start=timezone.now() + 12 * HOUR)  # offer of 3 h
    with commit():
        leaving = services.register(event, **person(1))
        waiting = services.register(event, **person(2))
        services.cancel(leaving)
    waiting.refresh_from_db()
    offer = waiting.expires_at - waiting.status_changed_at
    assert abs(offer - 3 * HOUR) < datetime.timedelta(minutes=1)  # (12 h − 6 h) / 2
    assert services.send_offer_reminders() == 0


@pytest.mark.parametrize(
    ("hours_before", "expected"),
    [(240, 24 * HOUR), (30, 12 * HOUR), (10, 2 * HOUR), (7.5, None), (3, None)],
)
def test_offers_shorten_near_the_event_then_confirm_at_once(home_page, hours_before, expected):
    now = timezone.now()
    event = offers_event(home_page, start=now + datetime.timedelta(hours=hours_before))
    deadline = services.offer_deadline(event, now)
    assert (deadline - now if deadline else None) == expected


def test_in_the_last_hours_a_freed_seat_is_confirmed_at_once(home_page, commit):
    event = offers_event(home_page, capacity=1, start=timezone.now() + 5 * HOUR)
    with commit():
        leaving = services.register(event, **person(1))
        waiting = services.register(event, **person(2))
        services.cancel(leaving)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert mails_to("camille2@example.org", "Une place s'est libérée")


def test_offers_go_to_every_request_that_fits_in_order(home_page, commit):
    event = offers_event(home_page, capacity=4, max_seats_per_registration=4)
    with commit():
        leaving = services.register(event, seats=3, **person(1))
        services.register(event, seats=1, **person(2))
        big = services.register(event, seats=4, **person(3))
        two = services.register(event, seats=2, **person(4))
        one = services.register(event, seats=1, **person(5))
        services.cancel(leaving)
    statuses = [r.status for r in Registration.objects.filter(pk__in=[big.pk, two.pk, one.pk]).order_by("pk")]
    assert statuses == [S.WAITLISTED, S.OFFERED, S.OFFERED]
    assert services.seats_remaining(event) == 0


def test_staff_confirm_an_offer_from_the_admin(offered, client, admin_user, commit):
    event, first, second = offered
    html = admin_page(client, admin_user, event)
    assert "Places proposées, réponse attendue (1)" in html or "Place proposée, réponse attendue (1)" in html
    assert "réponse attendue avant le" in html
    with commit():
        client.post(reverse("inscriptions:confirm_offer", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == S.CONFIRMED


def test_offered_people_in_the_listing_filter_and_export(offered, client, admin_user):
    event, first, second = offered
    client.force_login(admin_user)
    listing = client.get(reverse("inscriptions:index"), {"status": "offered"}).content.decode()
    assert "Martin3" in listing and "Martin4" not in listing
    assert "Place proposée, réponse attendue — avant le" in listing
    response = client.get(reverse("inscriptions:export", args=[event.pk, "csv"]))
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = [line for line in export.splitlines() if "camille3@example.org" in line]
    assert "Place proposée, réponse attendue" in row
    assert timezone.localtime(first.expires_at).strftime("%d/%m/%Y %H:%M") in row


def test_manage_link_of_a_lapsed_offer_shows_it_released(offered, client):
    event, first, second = offered
    value = tokens.make_manage_value(first)
    with freeze_time(first.expires_at + HOUR):
        page = client.get(reverse("registrations:manage", args=[value])).content.decode()
    assert "Je prends la place" not in page
    assert "Place proposée non acceptée à temps" in page


def test_reading_a_cancelled_event_with_people_waiting_takes_no_lock(home_page, django_assert_num_queries):
    """``_promote_locked`` serves no list for a cancelled event: its page must not try on every view."""
    event = make_event(home_page, capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    EventPage.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED, capacity=2)
    event = EventPage.objects.get(pk=event.pk)
    with django_assert_num_queries(1):
        assert services.availability(event).state == "cancelled_event"
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
