"""The seat rules: confirmed, waiting list, approval, cancellation, promotion, capacity."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.models import EventPage
from registrations import services
from registrations.models import Registration, RegistrationSource, RegistrationStatus
from registrations.signals import availability_changed
from tests.registrations.factories import make_event, make_registration, person

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def test_open_event_confirms_until_full_then_waitlists(home_page):
    event = make_event(home_page, capacity=2)
    first = services.register(event, **person(1))
    second = services.register(event, **person(2))
    third = services.register(event, **person(3))
    assert [first.status, second.status, third.status] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert services.seats_remaining(event) == 0
    assert third.waitlist_position() == 1
    assert first.waitlist_position() is None


def test_full_without_waitlist_refuses(home_page):
    event = make_event(home_page, capacity=1, waitlist_enabled=False)
    services.register(event, **person(1))
    with pytest.raises(services.EventFull) as error:
        services.register(event, **person(2))
    assert "complet" in error.value.message
    assert Registration.objects.filter(event=event).count() == 1


def test_unlimited_capacity_always_confirms(home_page):
    event = make_event(home_page, capacity=None)
    assert all(services.register(event, **person(n)).status == S.CONFIRMED for n in range(5))
    assert services.seats_remaining(event) is None


def test_email_is_normalised_and_duplicates_take_no_seat(event):
    first = services.register(event, **person(1, email="  Camille.Martin@Example.ORG "))
    assert first.email == "camille.martin@example.org"
    with pytest.raises(services.AlreadyRegistered) as error:
        services.register(event, **person(2, email="CAMILLE.martin@example.org"))
    assert error.value.registration == first
    assert services.seats_taken(event) == 1


def test_can_register_again_after_cancelling(event):
    first = services.register(event, **person(1))
    services.cancel(first)
    again = services.register(event, **person(1))
    assert again.status == S.CONFIRMED
    assert again.pk != first.pk


def test_database_constraint_backs_the_duplicate_check(event, monkeypatch):
    """Even if the pre-check missed it, the unique constraint turns a duplicate into AlreadyRegistered."""
    existing = services.register(event, **person(1))
    monkeypatch.setattr(services, "_find_active", lambda event, email: None)
    with pytest.raises(services.AlreadyRegistered) as error:
        services.register(event, **person(1))
    assert error.value.registration.pk == existing.pk
    assert services.seats_taken(event) == 1


def test_review_mode_keeps_requests_pending_and_approval_decides(home_page):
    event = make_event(home_page, registration_mode="review", capacity=1)
    first = services.register(event, **person(1))
    second = services.register(event, **person(2))
    assert first.status == second.status == S.PENDING
    assert services.seats_taken(event) == 0
    assert services.approve(first).status == S.CONFIRMED
    assert services.approve(second).status == S.WAITLISTED
    with pytest.raises(services.InvalidTransition):
        services.approve(first)


def test_approval_without_waitlist_refuses_when_full(home_page):
    event = make_event(home_page, registration_mode="review", capacity=1, waitlist_enabled=False)
    first = services.register(event, **person(1))
    second = services.register(event, **person(2))
    services.approve(first)
    with pytest.raises(services.EventFull):
        services.approve(second)
    second.refresh_from_db()
    assert second.status == S.PENDING


def test_reject_pending_or_waitlisted_only(home_page):
    event = make_event(home_page, registration_mode="review", capacity=5)
    pending = services.register(event, **person(1))
    assert services.reject(pending).status == S.REJECTED
    confirmed = services.register(event, **person(2), source=RegistrationSource.STAFF)
    assert confirmed.status == S.CONFIRMED  # staff entries are decided at once
    with pytest.raises(services.InvalidTransition):
        services.reject(confirmed)


def test_window_not_yet_open_and_closed(home_page):
    opens = timezone.now() + datetime.timedelta(days=2)
    later = make_event(home_page, registration_opens_at=opens)
    with pytest.raises(services.RegistrationNotOpenYet) as error:
        services.register(later, **person(1))
    assert "ouvrent le" in error.value.message
    closed = make_event(home_page, registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.RegistrationClosed):
        services.register(closed, **person(1))
    started = make_event(home_page, start=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(services.RegistrationClosed):
        services.register(started, **person(1))
    # Staff may still add someone outside the window.
    assert services.register(closed, **person(2), source=RegistrationSource.STAFF).status == S.CONFIRMED


def test_a_closed_event_says_so_even_to_someone_already_registered(home_page):
    """An old tab sent after the closing: « closed », not a reminder e-mail about the registration they hold."""
    event = make_event(home_page)
    services.register(event, **person(1))
    EventPage.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    event.refresh_from_db()
    sent = len(mail.outbox)
    with pytest.raises(services.RegistrationClosed):
        services.register(event, **person(1))
    assert len(mail.outbox) == sent


def test_modes_without_registration_refuse(home_page):
    for mode in ("none", "external"):
        event = make_event(home_page, registration_mode=mode, registration_url="https://billetterie.example.org/")
        with pytest.raises(services.RegistrationClosed):
            services.register(event, **person(1))


def test_cancelled_event_refuses_even_staff(home_page):
    event = make_event(home_page, status="cancelled")
    with pytest.raises(services.RegistrationClosed):
        services.register(event, **person(1), source=RegistrationSource.STAFF)


def test_seat_limits(home_page):
    event = make_event(home_page, capacity=10, max_seats_per_registration=3)
    with pytest.raises(services.TooManySeats):
        services.register(event, **person(1), seats=4)
    with pytest.raises(services.TooManySeats):
        services.register(event, **person(1), seats=0)
    assert services.register(event, **person(1), seats=3).seats == 3
    assert services.seats_remaining(event) == 7


def test_staff_override_confirms_beyond_capacity(home_page):
    event = make_event(home_page, capacity=1)
    services.register(event, **person(1))
    forced = services.register(event, **person(2), source=RegistrationSource.STAFF, allow_over_capacity=True)
    assert forced.status == S.CONFIRMED
    assert services.seats_taken(event) == 2
    assert services.seats_remaining(event) == 0


def test_cancel_promotes_in_order(home_page):
    event = make_event(home_page, capacity=1)
    confirmed = services.register(event, **person(1))
    first_waiting = services.register(event, **person(2))
    second_waiting = services.register(event, **person(3))
    services.cancel(confirmed)
    assert confirmed.status == S.CANCELLED
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == S.CONFIRMED
    assert first_waiting.promoted_at is not None
    assert second_waiting.status == S.WAITLISTED
    assert second_waiting.waitlist_position() == 1
    with pytest.raises(services.InvalidTransition):
        services.cancel(confirmed)


def test_first_fit_a_request_too_large_keeps_its_rank_without_blocking_the_queue(home_page):
    """Rule (``ALLOCATION_RULE``): the free seats go, in order, to every waiting request that fits them."""
    event = make_event(home_page, capacity=3, max_seats_per_registration=3)
    holder_a = services.register(event, **person(1), seats=2)
    services.register(event, **person(2), seats=1)
    big = services.register(event, **person(3), seats=3)
    small = services.register(event, **person(4), seats=1)
    assert big.status == small.status == S.WAITLISTED
    services.cancel(holder_a)  # frees 2 seats: the head needs 3, the 1-seat request behind it fits
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.status == S.WAITLISTED
    assert big.waitlist_position() == 1
    assert small.status == S.CONFIRMED
    assert services.seats_remaining(event) == 1
    # Nobody waiting fits the last seat: a newcomer takes it.
    newcomer = services.register(event, **person(5))
    assert newcomer.status == S.CONFIRMED
    # A newcomer for 2 when 1 seat is free joins the list behind the head.
    services.cancel(small)
    later = services.register(event, **person(6), seats=2)
    assert later.status == S.WAITLISTED
    assert later.waitlist_position() == 2
    # The editor adds 3 seats (4 free): the head takes 3, the 2-seat request waits for one more.
    page = event.get_latest_revision_as_object()
    page.capacity = 6
    page.save_revision().publish()
    assert [r.status for r in Registration.objects.filter(pk__in=[big.pk, later.pk]).order_by("pk")] == [
        S.CONFIRMED,
        S.WAITLISTED,
    ]
    assert services.seats_remaining(event) == 1


def test_cancelling_a_waitlisted_or_pending_person_promotes_nobody(home_page):
    event = make_event(home_page, capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    services.register(event, **person(3))
    services.cancel(waiting)
    assert event.registrations.filter(status=S.CONFIRMED).count() == 1


def test_check_in_only_confirmed(event):
    confirmed = services.register(event, **person(1))
    services.check_in(confirmed)
    assert confirmed.checked_in_at is not None
    services.check_in(confirmed, present=False)
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at is None
    cancelled = services.cancel(services.register(event, **person(2)))
    with pytest.raises(services.InvalidTransition):
        services.check_in(cancelled)


def test_staff_actions_are_audited(event):
    staff = get_user_model().objects.create_user("equipe", password="x")
    registration = services.register(event, **person(1), source=RegistrationSource.STAFF, by=staff)
    services.check_in(registration, by=staff)
    services.cancel(registration, by=staff)
    actions = list(ModelLogEntry.objects.filter(object_id=str(registration.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["registrations.cancel", "registrations.check_in", "registrations.register"]
    assert registration.cancelled_reason == "Annulée par l'équipe"
    # Without a user, nothing is logged (public actions).
    services.register(event, **person(2))
    assert ModelLogEntry.objects.filter(action="registrations.register").count() == 1


def test_availability_changed_is_sent_after_commit(event, commit):
    received = []

    def listener(sender, event, **kwargs):
        received.append(event.pk)

    availability_changed.connect(listener)
    try:
        with commit():
            registration = services.register(event, **person(1))
            assert received == []  # not before the commit
        assert received == [event.pk]
        with commit():
            services.cancel(registration)
        assert received == [event.pk, event.pk]
    finally:
        availability_changed.disconnect(listener)


@pytest.mark.parametrize(
    ("fields", "state", "message"),
    [
        ({"registration_mode": "none"}, "none", ""),
        ({"registration_mode": "external", "registration_url": "https://example.org"}, "external", "organisateur"),
        ({"capacity": 12}, "open", "12 places restantes"),
        ({"capacity": None}, "open", "Inscriptions ouvertes"),
        ({"status": "cancelled"}, "cancelled_event", "Événement annulé"),
        (
            {"registration_closes_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)},
            "closed",
            "Inscriptions closes",
        ),
        (
            {"registration_opens_at": datetime.datetime(2099, 7, 3, 7, 0, tzinfo=datetime.UTC)},
            "not_yet_open",
            "Inscriptions à partir du 3 juillet 2099 à 9\u00a0h",
        ),
    ],
)
def test_availability_states(home_page, fields, state, message):
    info = services.availability(make_event(home_page, **fields))
    assert info.state == state
    assert info.message == message if not message else message in info.message


def test_availability_when_full(home_page):
    event = make_event(home_page, capacity=1)
    assert services.availability(event).message == "1 place restante"
    services.register(event, **person(1))
    assert services.availability(event).state == "full_waitlist"
    assert services.availability(event).message == "Complet — liste d'attente"
    event.waitlist_enabled = False
    assert services.availability(event).state == "full"


def test_anonymize_erases_personal_data_and_is_idempotent(event):
    registration = services.register(event, **person(1), organisation="Asso", phone="0600000000", answers={"q1": "x"})
    services.check_in(registration)
    old_token = registration.token
    services.anonymize(registration)
    services.anonymize(registration)
    registration.refresh_from_db()
    assert registration.email == f"anonyme-{registration.pk}@invalid"
    assert (registration.last_name, registration.organisation, registration.phone, registration.answers) == (
        "",
        "",
        "",
        {},
    )
    assert registration.status == S.CONFIRMED
    assert registration.checked_in_at is not None
    assert registration.token != old_token


def test_anonymize_erases_the_name_from_the_audit_log_too(event):
    staff = get_user_model().objects.create_user("accueil", password="x")
    registration = services.register(event, **person(1), source=RegistrationSource.STAFF, by=staff)
    services.check_in(registration, by=staff)
    name = registration.last_name
    entries = ModelLogEntry.objects.filter(object_id=str(registration.pk))
    assert entries.count() == 2 and all(name in entry.label for entry in entries)
    services.anonymize(registration)
    labels = list(entries.values_list("label", flat=True))
    assert len(labels) == 2  # who did what, and when, stays on record
    assert all(name not in label and "Anonyme" in label for label in labels)


def test_no_mail_is_sent_inside_the_transaction(event):
    services.register(event, **person(1))
    assert mail.outbox == []  # queued on commit only


def test_make_registration_factory_counts(event):
    make_registration(event, seats=2)
    assert services.seats_taken(event) == 2


def test_only_staff_may_register_someone_without_an_address(event):
    with pytest.raises(services.RegistrationError, match="adresse e-mail est nécessaire"):
        services.register(event, first_name="Sans", last_name="Adresse", email="  ")
    first = services.register(event, first_name="Paulette", last_name="V", email="", source=RegistrationSource.STAFF)
    second = services.register(event, first_name="Marcel", last_name="V", email="", source=RegistrationSource.STAFF)
    assert first.status == second.status == S.CONFIRMED  # no "already registered" between them
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["a@\u202eexample.org", "a@[127.0.0.1]", "a@localhost", "a\u200b@example.org"])
def test_undeliverable_addresses_are_refused_in_french_whoever_calls(event, email):
    """The forms refuse them too; the service is the last door (a bidi address crashed the mail worker)."""
    for source in (RegistrationSource.WEB, RegistrationSource.STAFF):
        with pytest.raises(services.RegistrationError) as refused:
            services.register(event, **person(1, email=email), source=source)
        assert refused.value.message == "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_names_are_stored_clean_whoever_calls(event):
    registration = services.register(
        event,
        first_name="Zoé\u202e",
        last_name="Martin\r\nDupont\x1b",
        organisation="\u200bOcim ",
        **{"email": "z@example.org"},
    )
    registration.refresh_from_db()
    assert (registration.first_name, registration.last_name, registration.organisation) == (
        "Zoé",
        "Martin Dupont",
        "Ocim",
    )
