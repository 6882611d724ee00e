"""One line per person: named attendees, per-person cancel and check-in, figures, exports, sheets, erasure."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from registrations import services, signin_sheet
from registrations.exports import registration_rows
from registrations.figures import event_figures
from registrations.models import Attendee, Registration, RegistrationStatus
from tests.registrations.factories import make_event, make_registration, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    """Ten seats, up to four per person."""
    return make_event(home_page, max_seats_per_registration=4)


GROUP = [
    {"first_name": "Louise", "last_name": "Bernard", "email": "louise@example.org"},
    {"first_name": "Nour", "last_name": "Haddad"},
]


def names(registration, *, active=True):
    people = registration.attendees.order_by("position")
    if active:
        people = people.filter(cancelled_at__isnull=True)
    return [person.full_name for person in people]


def group_of_three(event, n=1, **extra):
    return services.register(event, **person(n), seats=3, companions=GROUP, **extra)


def test_a_group_names_each_person_registrant_first(event):
    registration = group_of_three(event)
    assert names(registration) == ["Camille Martin1", "Louise Bernard", "Nour Haddad"]
    emails = list(registration.attendees.order_by("position").values_list("email", flat=True))
    assert emails == ["camille1@example.org", "louise@example.org", ""]
    assert registration.seats == 3


def test_unnamed_seats_get_a_french_placeholder(event):
    registration = services.register(event, **person(1), seats=3, companions=GROUP[:1])
    assert names(registration) == ["Camille Martin1", "Louise Bernard", "Accompagnant·e 3 de Camille Martin1"]


def test_more_names_than_seats_is_refused_in_french(event):
    with pytest.raises(services.TooManySeats, match="2 noms d'accompagnant·es pour 2 places"):
        services.register(event, **person(1), seats=2, companions=GROUP)
    assert not Registration.objects.exists()


def test_cancelling_one_seat_keeps_the_group_and_tells_the_registrant(event, commit):
    registration = group_of_three(event)
    louise = registration.attendees.get(first_name="Louise")
    mail.outbox.clear()
    with commit():
        services.cancel_attendee(louise)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.seats == 2
    assert names(registration) == ["Camille Martin1", "Nour Haddad"]
    assert event_figures(event).confirmed == 2
    assert services.seats_remaining(event) == 8
    (message,) = mail.outbox
    assert message.to == ["camille1@example.org"]
    assert "Louise Bernard" in message.subject or "Louise Bernard" in message.body
    assert "La place de Louise Bernard est annulée" in message.body
    assert "compte désormais 2 places" in message.body


def test_a_freed_seat_goes_to_the_waiting_list(home_page, commit):
    event = make_event(home_page, capacity=3, max_seats_per_registration=3)
    group = group_of_three(event)
    waiting = services.register(event, **person(2))
    assert waiting.status == RegistrationStatus.WAITLISTED
    mail.outbox.clear()
    with commit():
        services.cancel_attendee(group.attendees.get(first_name="Nour"))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED and waiting.promoted_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == ["camille1@example.org", "camille2@example.org"]
    figures = event_figures(event)
    assert figures.confirmed == 3 and figures.seats_remaining == 0


def test_cancelling_the_last_person_cancels_the_registration(event):
    registration = services.register(event, **person(1), seats=2, companions=GROUP[:1])
    first, second = registration.attendees.order_by("position")
    services.cancel_attendee(first)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.seats == 1
    services.cancel_attendee(second)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert event_figures(event).confirmed == 0
    with pytest.raises(services.InvalidTransition):
        services.cancel_attendee(second)


def test_a_seat_cannot_be_cancelled_twice(event):
    registration = group_of_three(event)
    louise = registration.attendees.get(first_name="Louise")
    services.cancel_attendee(louise)
    with pytest.raises(services.InvalidTransition, match="La place de Louise Bernard est déjà annulée"):
        services.cancel_attendee(Attendee.objects.get(pk=louise.pk))


def test_present_counts_people_checked_in(event):
    group = group_of_three(event)
    alone = services.register(event, **person(2))
    services.check_in_attendee(group.attendees.get(position=1))
    services.check_in_attendee(group.attendees.get(position=3))
    services.check_in(alone)
    figures = event_figures(event)
    assert figures.confirmed == 4
    assert figures.present == 3  # two of the group, one alone
    assert figures.present_registrations == 2
    group.refresh_from_db()
    assert group.seats_present == 2 and group.checked_in_at is not None
    services.check_in_attendee(group.attendees.get(position=1), present=False)
    services.check_in_attendee(group.attendees.get(position=3), present=False)
    group.refresh_from_db()
    assert group.seats_present == 0 and group.checked_in_at is None
    assert event_figures(event).present == 1


def test_checking_in_a_whole_registration_counts_every_active_person(event):
    group = group_of_three(event)
    services.cancel_attendee(group.attendees.get(first_name="Nour"))
    services.check_in(group)
    assert event_figures(event).present == 2
    assert not group.attendees.get(first_name="Nour").checked_in_at


def test_a_cancelled_seat_cannot_be_checked_in(event):
    group = group_of_three(event)
    nour = group.attendees.get(first_name="Nour")
    services.cancel_attendee(nour)
    with pytest.raises(services.RegistrationError, match="La place de Nour Haddad a été annulée"):
        services.check_in_attendee(nour)


def test_anonymisation_erases_every_attendee_and_the_audit_labels(event, django_user_model):
    staff = django_user_model.objects.create_superuser("chef", "chef@example.org", "pw")
    group = group_of_three(event, by=staff)
    services.cancel_attendee(group.attendees.get(first_name="Nour"), by=staff)
    services.anonymize(group)
    people = list(group.attendees.values_list("first_name", "last_name", "email"))
    assert people == [("Anonyme", "", "")] * 3
    labels = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id=str(group.pk)
    ).values_list("label", flat=True)
    assert labels and not any(word in label for label in labels for word in ("Louise", "Nour", "Martin1"))
    assert event_figures(event).confirmed == 2  # the counts stay


def test_the_anonymize_command_erases_attendees_too(home_page):
    from django.core.management import call_command

    past = make_event(home_page, start=timezone.now() - timezone.timedelta(days=400))
    registration = make_registration(past, seats=2, attendees=[("Louise", "Bernard")])
    call_command("anonymize_registrations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(registration.attendees.values_list("first_name", "last_name")) == {("Anonyme", "")}


def test_exports_have_one_row_per_person_with_the_registrants_details(event):
    group = group_of_three(event, organisation="MJC Grésilles", phone="03 80 11 22 33")
    services.cancel_attendee(group.attendees.get(first_name="Nour"))
    services.check_in_attendee(group.attendees.get(first_name="Louise"))
    header, *rows = list(registration_rows(event))
    column = {title: index for index, title in enumerate(header)}
    assert [(row[0], row[1]) for row in rows] == [("Camille", "Martin1"), ("Louise", "Bernard"), ("Nour", "Haddad")]
    louise = rows[1]
    assert louise[column["E-mail"]] == "louise@example.org"
    assert louise[column["Structure"]] == "MJC Grésilles"
    assert louise[column["Téléphone"]] == "03 80 11 22 33"
    assert louise[column["Réservation de"]] == "Camille Martin1 <camille1@example.org>"
    assert louise[column["N° dans la réservation"]] == 2
    assert louise[column["Présence"]] == "Présent·e"
    assert rows[0][column["Présence"]] == "Non renseignée"
    assert rows[2][column["Statut"]] == "Place annulée"
    assert rows[0][column["Statut"]] == "Confirmée"


def test_signin_sheet_has_one_line_per_person(event):
    group_of_three(event)
    other = services.register(event, **person(2), seats=2, companions=[{"first_name": "Zoé", "last_name": "Abadie"}])
    services.cancel_attendee(other.attendees.get(position=1))
    data = signin_sheet.signin_sheet_data(event)
    lines = [signin_sheet.attendee_name(attendee) for attendee in data["attendees"]]
    assert lines == ["ABADIE Zoé", "BERNARD Louise", "HADDAD Nour", "MARTIN1 Camille"]
    pdf = signin_sheet.render_pdf(event)
    assert pdf.startswith(b"%PDF")


def test_migration_gives_old_registrations_their_attendees(event):
    """Old groups: the registrant plus « Accompagnant·e N de Prénom » + last name; presence kept."""
    migration = importlib.import_module("registrations.migrations.0010_attendees_from_registrations")
    old_group = make_registration(event, first_name="Camille", last_name="Martin", seats=3)
    present = make_registration(event, first_name="Zoé", last_name="Abadie", seats=2, checked_in_at=timezone.now())
    erased = make_registration(event, seats=1, anonymized_at=timezone.now())
    Attendee.objects.all().delete()
    Registration.objects.update(seats_present=0)

    migration.create_attendees(apps, None)

    assert names(old_group) == [
        "Camille Martin",
        "Accompagnant·e 2 de Camille Martin",
        "Accompagnant·e 3 de Camille Martin",
    ]
    assert old_group.attendees.get(position=1).email == old_group.email
    assert present.attendees.filter(checked_in_at__isnull=False).count() == 2
    assert names(erased) == ["Anonyme"]
    assert Attendee.objects.count() == 6
    figures = event_figures(event)
    assert figures.confirmed == 6 and figures.present == 2
    migration.create_attendees(apps, None)  # run again: nothing doubled
    assert Attendee.objects.count() == 6


def test_the_funders_report_counts_people_present_not_seats_of_groups(home_page):
    from registrations.reports import period_report

    past = make_event(home_page, start=timezone.now() - timezone.timedelta(days=3), max_seats_per_registration=3)
    group = make_registration(past, seats=3, attendees=[("Louise", "Bernard"), ("Nour", "Haddad")])
    services.check_in_attendee(group.attendees.get(position=1))
    services.check_in_attendee(group.attendees.get(position=2))
    today = timezone.localdate()
    report = period_report(today - timezone.timedelta(days=30), today)
    assert report.totals.confirmed == 3
    assert report.totals.present == 2
    assert report.totals.absence_rate == pytest.approx(1 / 3)
    ((_month, figures, _count),) = report.by_month
    assert figures.present == 2 and figures.absence_rate == pytest.approx(1 / 3)
