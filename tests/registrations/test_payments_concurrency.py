"""Tier quotas and receipt numbers under real concurrent connections on PostgreSQL.

Quota: 10 seats, 3 at the reduced tier, 8 people ask for it at the same
moment: exactly 3 get it, the 5 others are refused with the French message
naming the tier still open (we refuse rather than switch them silently to the
full price: someone who can pay only the reduced price must not find
themselves owing 120 €; the form shows the message and they choose).

Receipts: 40 payments recorded at once on 20 registrations give the numbers
<year>-0001 … <year>-0040, each once, none missing.
"""

from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from registrations import payments, services
from registrations.models import Attendee, Payment, PaymentMethod, Registration
from tests.registrations.factories import person
from tests.registrations.payment_helpers import make_paid_event
from tests.registrations.test_concurrency import race

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_reduced_tier_quota_holds_under_a_rush(home_page):
    event, _full, reduced = make_paid_event(home_page, capacity=10, reduced_quota=3)
    results = race(lambda n: services.register(event, **person(n), price_tiers=[reduced.pk]), range(8), workers=8)
    registered = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(registered) == 3
    assert len(refused) == 5
    assert all(isinstance(error, services.TierFull) for error in refused), refused
    assert all("« Plein tarif »" in error.message for error in refused)
    assert Attendee.objects.filter(price_tier=reduced).count() == 3


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_receipt_numbers_have_no_gaps_nor_doubles(home_page):
    event, full, _reduced = make_paid_event(home_page, capacity=20)
    registrations = [services.register(event, **person(n), price_tiers=[full.pk]) for n in range(20)]

    def record(registration):
        return payments.record_payment(registration, amount="60", method=PaymentMethod.CASH, paid_on=today)

    today = timezone.localdate()

    results = race(record, registrations * 2, workers=20)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    numbers = Counter(Payment.objects.values_list("receipt_number", flat=True))
    assert sorted(numbers) == [f"{today.year}-{n:04d}" for n in range(1, 41)]
    assert set(numbers.values()) == {1}
