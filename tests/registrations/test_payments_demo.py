"""The demo's paid training: two tiers, 20 seats, registrations paid in different ways, one refund."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from events.models import EventPage
from registrations import documents, payments
from registrations.demo import PAID_TRAINING_SLUGS
from registrations.models import Invoice, Payment

pytestmark = pytest.mark.django_db


def test_demo_paid_training_is_ready_and_idempotent():
    call_command("load_demo")
    call_command("load_demo")
    # The first of the slugs the demo has: the three-session course of the texts.
    training = next(
        EventPage.objects.get(slug=slug) for slug in PAID_TRAINING_SLUGS if EventPage.objects.filter(slug=slug).exists()
    )
    assert training.slug == PAID_TRAINING_SLUGS[0]
    assert training.capacity == 20 and training.refund_days_before == 14
    assert [t.label for t in training.price_tiers.order_by("sort_order")][0] == "Plein tarif"
    assert training.price_tiers.count() == 2
    paid = training.registrations.filter(email__endswith="@example.org", attendees__price_tier__isnull=False)
    accounts = payments.money_by_registration(paid.select_related("event"))
    by_name = {r.last_name: accounts[r.pk] for r in paid}
    assert by_name["Chèque"].balance == Decimal("0.00")
    assert by_name["Acompte"].balance == Decimal("60.00")
    assert by_name["Remboursée"].net_paid == Decimal("0.00") and by_name["Remboursée"].due == Decimal("0.00")
    assert by_name["Bénévole"].exemption
    methods = set(Payment.objects.filter(registration__event=training).values_list("method", flat=True))
    assert methods == {"cheque", "cash", "transfer", "card"}
    assert Invoice.objects.filter(registration__event=training).count() == 1
    receipt = Payment.objects.filter(registration__event=training, kind="payment").first()
    assert documents.receipt_pdf(receipt).startswith(b"%PDF")
