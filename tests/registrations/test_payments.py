"""Price tiers, quotas, what is owed and paid, refunds, exemptions and receipt numbers (Decimal throughout)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from events.models import EventStatus
from registrations import payments, services
from registrations.models import DocumentCounter, Payment, PaymentKind, PaymentMethod, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.payment_helpers import make_paid_event

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def pay(registration, amount, **extra):
    return payments.record_payment(
        registration, amount=amount, method=extra.pop("method", PaymentMethod.CHEQUE), paid_on=TODAY, **extra
    )


def test_each_seat_gets_its_tier_and_the_amount_due_adds_them(home_page):
    event, full, reduced = make_paid_event(home_page, max_seats_per_registration=3)
    registration = services.register(
        event,
        **person(1),
        seats=3,
        companions=[{"first_name": "Lou", "last_name": "A"}, {"first_name": "Max", "last_name": "B"}],
        price_tiers=[full.pk, reduced.pk, reduced.pk],
    )
    assert [a.price_tier for a in registration.attendees.order_by("position")] == [full, reduced, reduced]
    account = payments.money_of(registration)
    assert account.due == Decimal("240.00")
    assert isinstance(account.due, Decimal)
    assert account.balance == Decimal("240.00")


def test_an_event_with_tiers_needs_one_tier_per_seat_of_this_event(home_page):
    event, full, _reduced = make_paid_event(home_page)
    other, other_full, _ = make_paid_event(home_page)
    with pytest.raises(services.RegistrationError, match="Choisissez un tarif"):
        services.register(event, **person(1))
    with pytest.raises(services.RegistrationError, match="Choisissez un tarif"):
        services.register(event, **person(1), price_tiers=[other_full.pk])
    free = make_event(home_page)
    with pytest.raises(services.RegistrationError, match="ne propose pas de tarifs"):
        services.register(free, **person(1), price_tiers=[full.pk])


def test_a_full_tier_is_refused_naming_the_tier_still_open(home_page):
    event, full, reduced = make_paid_event(home_page, reduced_quota=1)
    services.register(event, **person(1), price_tiers=[reduced.pk])
    with pytest.raises(services.TierFull) as refused:
        services.register(event, **person(2), price_tiers=[reduced.pk])
    assert "« Tarif réduit »" in refused.value.message and "« Plein tarif »" in refused.value.message
    assert services.register(event, **person(2), price_tiers=[full.pk]).status == RegistrationStatus.CONFIRMED


def test_a_cancelled_request_gives_its_tier_seat_back(home_page):
    event, _full, reduced = make_paid_event(home_page, reduced_quota=1)
    first = services.register(event, **person(1), price_tiers=[reduced.pk])
    services.cancel(first)
    assert services.register(event, **person(2), price_tiers=[reduced.pk]).status == RegistrationStatus.CONFIRMED


def test_payments_partial_then_full_and_overpay_needs_confirmation(home_page):
    event, full, _ = make_paid_event(home_page)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    pay(registration, "50,00", method=PaymentMethod.CASH)
    assert payments.money_of(registration).balance == Decimal("70.00")
    with pytest.raises(payments.PaymentError, match="dépasse le reste à payer \\(70,00"):
        pay(registration, "80")
    pay(registration, "70")
    account = payments.money_of(registration)
    assert (account.paid, account.balance) == (Decimal("120.00"), Decimal("0.00"))
    pay(registration, "5", allow_overpay=True)
    assert payments.money_of(registration).refund_owed == Decimal("5.00")


@pytest.mark.parametrize("amount", ["0", "-10", "12,345"])
def test_no_zero_negative_or_sub_cent_payment(home_page, amount):
    event, full, _ = make_paid_event(home_page)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    with pytest.raises(payments.PaymentError):
        pay(registration, amount)
    assert not Payment.objects.exists()


def test_a_refund_never_exceeds_what_was_paid(home_page):
    event, full, _ = make_paid_event(home_page)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    pay(registration, "120")
    with pytest.raises(payments.PaymentError, match="plus que ce qui a été payé"):
        pay(registration, "121", kind=PaymentKind.REFUND)
    refund = pay(registration, "120", kind=PaymentKind.REFUND, method=PaymentMethod.TRANSFER)
    assert refund.receipt_number == ""


def _event_in(home_page, days, refund_days_before):
    start = timezone.now() + datetime.timedelta(days=days)
    return make_paid_event(
        home_page, start=start, end=start + datetime.timedelta(hours=3), refund_days_before=refund_days_before
    )


def test_cancelling_before_the_refund_limit_owes_nothing_and_tells_the_refund(home_page):
    event, full, _ = _event_in(home_page, days=10, refund_days_before=7)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    pay(registration, "120")
    services.cancel(registration)
    account = payments.money_of(registration)
    assert (account.due, account.refund_owed) == (Decimal("0.00"), Decimal("120.00"))


def test_cancelling_after_the_refund_limit_keeps_what_was_paid(home_page):
    event, full, _ = _event_in(home_page, days=3, refund_days_before=7)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    pay(registration, "60")
    services.cancel(registration)
    account = payments.money_of(registration)
    assert (account.due, account.balance, account.refund_owed) == (Decimal("60.00"), Decimal("0.00"), Decimal("0.00"))


def test_no_refund_rule_means_no_refund_unless_the_event_is_cancelled(home_page):
    event, full, _ = _event_in(home_page, days=30, refund_days_before=None)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    pay(registration, "120")
    services.cancel(registration)
    assert payments.money_of(registration).refund_owed == Decimal("0.00")
    event.status = EventStatus.CANCELLED
    event.save()
    registration.refresh_from_db()
    assert payments.money_of(registration).refund_owed == Decimal("120.00")


def test_one_cancelled_seat_of_a_group_lowers_the_amount_due(home_page):
    event, full, reduced = make_paid_event(home_page, max_seats_per_registration=2)
    registration = services.register(
        event,
        **person(1),
        seats=2,
        companions=[{"first_name": "Lou", "last_name": "A"}],
        price_tiers=[full.pk, reduced.pk],
    )
    services.cancel_attendee(registration.attendees.get(position=2))
    assert payments.money_of(registration).due == Decimal("120.00")


def test_an_exemption_owes_nothing_and_needs_a_reason(home_page, admin_user):
    event, full, _ = make_paid_event(home_page)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    with pytest.raises(payments.PaymentError, match="motif"):
        payments.exempt(registration, reason="  ")
    payments.exempt(registration, reason="Bénévole de l'association", by=admin_user)
    account = payments.money_of(registration)
    assert (account.due, account.exemption, account.is_paying) == (Decimal("0.00"), "Bénévole de l'association", False)
    payments.remove_exemption(registration, by=admin_user)
    assert payments.money_of(registration).due == Decimal("120.00")


def test_receipts_are_numbered_per_year_without_gaps(home_page):
    event, full, _ = make_paid_event(home_page, max_seats_per_registration=1)
    first = services.register(event, **person(1), price_tiers=[full.pk])
    second = services.register(event, **person(2), price_tiers=[full.pk])
    with freeze_time("2026-12-31 12:00"):
        numbers = [pay(first, "60").receipt_number, pay(second, "60").receipt_number]
        with pytest.raises(payments.PaymentError):
            pay(first, "500")  # refused: its number is not used up
        numbers.append(pay(first, "60").receipt_number)
    with freeze_time("2027-01-02 12:00"):
        numbers.append(pay(second, "60").receipt_number)
    assert numbers == ["2026-0001", "2026-0002", "2026-0003", "2027-0001"]
    assert DocumentCounter.objects.get(series="R", year=2026).last == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_next_number_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        payments.next_number("R", 2026)


def test_invoice_for_an_organisation(home_page, admin_user):
    event, full, reduced = make_paid_event(home_page, max_seats_per_registration=2)
    registration = services.register(
        event,
        **person(1),
        seats=2,
        companions=[{"first_name": "Lou", "last_name": "A"}],
        price_tiers=[full.pk, full.pk],
    )
    with pytest.raises(payments.PaymentError, match="14 chiffres"):
        payments.issue_invoice(registration, customer_name="Mairie", customer_address="Place", customer_siret="123")
    invoice = payments.issue_invoice(
        registration,
        customer_name="Centre social des Grésilles",
        customer_address="1 rue X\n21000 Dijon",
        customer_siret="123 456 789 00012",
        by=admin_user,
    )
    assert invoice.number == f"F{timezone.localdate().year}-0001"
    assert (invoice.total, invoice.customer_siret) == (Decimal("240.00"), "12345678900012")


def test_euros_are_written_the_french_way():
    assert payments.euros(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert payments.euros(Decimal("-60")) == "-60,00\u00a0€"


def test_changing_a_tier_later_does_not_change_what_registrants_owe(home_page):
    event, full, _ = make_paid_event(home_page)
    registration = services.register(event, **person(1), price_tiers=[full.pk])
    full.amount = Decimal("150.00")
    full.save()
    assert payments.money_of(registration).due == Decimal("120.00")
    newcomer = services.register(event, **person(2), price_tiers=[full.pk])
    assert payments.money_of(newcomer).due == Decimal("150.00")
