"""The check-in QR code: a signed token that lets in the people of one confirmed registration, at one event."""

import pytest
from django.core import signing

from registrations import services, tokens
from registrations.figures import event_figures
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    return make_event(home_page, max_seats_per_registration=3)


def group(event, n=1):
    companions = [{"first_name": "Louise", "last_name": "Bernard"}, {"first_name": "Nour", "last_name": "Haddad"}]
    return services.register(event, **person(n), seats=3, companions=companions)


def test_a_valid_code_checks_in_every_person_and_says_who(event):
    registration = group(event)
    code = tokens.make_check_in_value(registration)
    found, people = services.check_in_by_code(event, code)
    assert found == registration
    assert [person.full_name for person in people] == ["Camille Martin1", "Louise Bernard", "Nour Haddad"]
    assert event_figures(event).present == 3
    again, people = services.check_in_by_code(event, code)  # scanned twice: still three, nothing doubled
    assert event_figures(event).present == 3


def test_a_cancelled_seat_is_not_let_in_by_the_groups_code(event):
    registration = group(event)
    services.cancel_attendee(registration.attendees.get(first_name="Nour"))
    _found, people = services.check_in_by_code(event, tokens.make_check_in_value(registration))
    assert [person.first_name for person in people] == ["Camille", "Louise"]
    assert event_figures(event).present == 2


def test_a_code_for_another_event_is_refused_with_its_title(home_page, event):
    other = make_event(home_page, title="Repair café", slug="repair-cafe")
    registration = services.register(other, **person(1))
    with pytest.raises(services.InvalidCheckInCode, match="Ce code est celui d'un autre événement : « Repair café »"):
        services.check_in_by_code(event, tokens.make_check_in_value(registration))
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_cancelled_registration_is_refused(event):
    registration = services.register(event, **person(1))
    services.cancel(registration)
    with pytest.raises(services.InvalidCheckInCode, match="Cette inscription est annulée"):
        services.check_in_by_code(event, tokens.make_check_in_value(registration))
    assert event_figures(event).present == 0


def test_a_waiting_person_is_refused(home_page):
    event = make_event(home_page, capacity=1)
    services.register(event, **person(1))
    waiting = services.register(event, **person(2))
    assert waiting.status == RegistrationStatus.WAITLISTED
    with pytest.raises(services.InvalidCheckInCode, match="liste d'attente"):
        services.check_in_by_code(event, tokens.make_check_in_value(waiting))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda code: code[:-2] + ("AA" if not code.endswith("AA") else "BB"),  # signature changed
        lambda code: code.replace(":", ":x", 1),  # the token changed
        lambda code: "n'importe quoi",
        lambda code: "",
    ],
)
def test_a_bad_signature_is_refused(event, tamper):
    registration = services.register(event, **person(1))
    with pytest.raises(services.InvalidCheckInCode, match="signature invalide"):
        services.check_in_by_code(event, tamper(tokens.make_check_in_value(registration)))
    assert event_figures(event).present == 0


def test_a_self_service_link_is_not_a_check_in_code(event):
    registration = services.register(event, **person(1))
    with pytest.raises(services.InvalidCheckInCode, match="signature invalide"):
        services.check_in_by_code(event, tokens.make_manage_value(registration))


def test_the_code_dies_when_the_data_is_erased(event):
    registration = services.register(event, **person(1))
    code = tokens.make_check_in_value(registration)
    services.anonymize(registration)
    with pytest.raises(services.InvalidCheckInCode, match="ne correspond plus à aucune inscription"):
        services.check_in_by_code(event, code)


def test_the_signed_value_carries_no_personal_data(event):
    registration = services.register(event, **person(1))
    code = tokens.make_check_in_value(registration)
    assert "camille" not in code.lower() and "martin" not in code.lower()
    assert tokens.read_check_in_value(code) == (event.pk, registration.token)
    with pytest.raises(signing.BadSignature):
        tokens.read_check_in_value(code + "x")
