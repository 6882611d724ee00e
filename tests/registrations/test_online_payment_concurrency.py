"""The notification and the return URL racing for one paid checkout, on PostgreSQL: exactly one Payment.

HelloAsso notifies our server while the person's browser comes back through
the return URL, and notifications may be sent again: eight of them at the same
moment (four through the notification view, four as the return page calls the
service) record one payment, one receipt number, one confirmation e-mail.
"""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from registrations import online_payment, services
from registrations.models import CheckoutState, OnlineCheckout, OnlinePayment, Payment, RegistrationStatus
from tests.registrations.factories import person
from tests.registrations.payment_helpers import make_paid_event
from tests.registrations.test_concurrency import race

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


def urls_for(reference):
    base = f"http://testserver/inscription/paiement/{reference}"
    return online_payment.CheckoutUrls(f"{base}/retour/", f"{base}/erreur/", f"{base}/abandon/")


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_notifications_and_return_url_record_one_payment(home_page, helloasso):
    event, full, _reduced = make_paid_event(home_page, capacity=5)
    event.online_payment = OnlinePayment.REQUIRED
    event.save()
    registration = services.register(event, **person(1), price_tiers=[full.pk], pay_online=True)
    assert registration.status == RegistrationStatus.AWAITING_PAYMENT
    provider = online_payment.configured_provider()
    checkout, _url = services.start_online_checkout(registration, provider, urls_for)
    helloasso.pay(checkout.provider_id)
    body = helloasso.notification(checkout.provider_id)
    mail.outbox.clear()

    def arrive(index):
        if index % 2:
            response = Client().post("/inscription/paiement/notification/", body, content_type="application/json")
            return response.status_code
        return services.confirm_online_checkout(OnlineCheckout.objects.get(pk=checkout.pk), provider).state

    results = race(arrive, range(8), workers=8)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(map(str, results)) == sorted(["200"] * 4 + [CheckoutState.PAID] * 4)
    assert Payment.objects.count() == 1
    assert Payment.objects.exclude(receipt_number="").count() == 1
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert [m.subject for m in mail.outbox].count(f"Inscription confirmée : {event.title}") == 1
