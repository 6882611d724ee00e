"""Online payment through HelloAsso Checkout, against a local server that speaks its protocol.

The person fills in the form, is sent to the checkout with their seat held
(not confirmed); the payment is recorded once, from what the API says (never
from a notification's body), and confirms the registration with the usual
e-mail and the receipt; a failure says nothing was charged and offers a retry;
an abandoned checkout gives the seat to the waiting list after the deadline.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from registrations import payments, services, tokens
from registrations.models import (
    CheckoutState,
    OnlineCheckout,
    OnlinePayment,
    Payment,
    PaymentMethod,
    PriceTier,
    Registration,
    RegistrationStatus,
)
from tests.registrations import helloasso_server
from tests.registrations.factories import person
from tests.registrations.payment_helpers import make_paid_event
from tests.registrations.test_views import form_data, url

pytestmark = pytest.mark.django_db

NOTIFICATION_URL = "/inscription/paiement/notification/"


def online_event(home_page, mode=OnlinePayment.REQUIRED, **fields):
    event, full, reduced = make_paid_event(home_page, **fields)
    event.online_payment = mode
    event.save()
    return event, full, reduced


def register_online(client, event, tier, commit, **overrides):
    with commit():
        return client.post(url(event), form_data(price_tier=str(tier.pk), **overrides))


def the_checkout():
    return OnlineCheckout.objects.select_related("registration").get()


def notify(client, fake, checkout, commit, **headers):
    body = fake.notification(checkout.provider_id)
    with commit():
        return client.post(NOTIFICATION_URL, body, content_type="application/json", **headers)


def test_off_unless_configured(client, home_page, commit):
    """An event asking for online payment, on a site without HelloAsso settings: no online option at all."""
    event, full, _reduced = online_event(home_page, OnlinePayment.CHOICE)
    html = client.get(url(event)).content.decode()
    assert 'name="payment"' not in html and "HelloAsso" not in html
    response = register_online(client, event, full, commit)
    assert response.status_code == 302 and response["Location"].endswith("/merci/")
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert not OnlineCheckout.objects.exists()
    assert client.post(NOTIFICATION_URL, b"{}", content_type="application/json").status_code == 404


def test_the_choice_is_offered_when_configured(client, home_page, helloasso):
    event, _full, _reduced = online_event(home_page, OnlinePayment.CHOICE)
    html = client.get(url(event)).content.decode()
    assert 'name="payment"' in html
    assert "Payer en ligne maintenant (HelloAsso, carte bancaire)" in html
    assert "Payer sur place (espèces, chèque ou carte, à l&#x27;accueil)" in html
    event.online_payment = OnlinePayment.OFF
    event.save()
    assert 'name="payment"' not in client.get(url(event)).content.decode()


def test_paying_on_site_when_the_event_allows_both(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page, OnlinePayment.CHOICE)
    response = register_online(client, event, full, commit, payment="sur_place")
    assert response["Location"].endswith("/merci/")
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert not OnlineCheckout.objects.exists() and helloasso.intents == {}


def test_a_successful_payment_confirms_with_the_email_and_the_receipt(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page, capacity=5)
    response = register_online(client, event, full, commit)
    checkout = the_checkout()
    assert response.status_code == 302
    assert response["Location"] == f"{helloasso.url}/paiement/{checkout.provider_id}"
    registration = checkout.registration
    # The seat is held, not confirmed, and nobody is told anything yet.
    assert registration.status == RegistrationStatus.AWAITING_PAYMENT and registration.holds_seats
    assert services.seats_remaining(event) == 4
    assert mail.outbox == []
    sent = helloasso.intents[int(checkout.provider_id)]["body"]
    assert sent["totalAmount"] == sent["initialAmount"] == 12000
    assert sent["containsDonation"] is False
    assert sent["payer"] == {"firstName": "Camille", "lastName": "Martin", "email": "camille@example.org"}
    assert sent["metadata"] == {"reference": checkout.reference, "registration": registration.pk}
    assert sent["returnUrl"] == f"http://testserver/inscription/paiement/{checkout.reference}/retour/"
    assert checkout.amount == Decimal("120.00") and checkout.state == CheckoutState.CREATED

    helloasso.pay(checkout.provider_id)
    with commit():
        page = client.get(reverse("registrations:checkout_return", args=[checkout.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Paiement reçu, merci !" in html and "Votre inscription est confirmée." in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED and not registration.holds_seats
    payment = Payment.objects.get()
    assert (payment.amount, payment.method) == (Decimal("120.00"), PaymentMethod.ONLINE)
    assert payment.receipt_number == f"{timezone.localdate().year}-0001"
    assert payments.money_of(registration).balance == 0
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        f"Inscription confirmée : {event.title}",
        f"Vos documents (reçus, facture, attestations) : {event.title}",
    ]
    attached = [name for name, _content, kind in mail.outbox[1].attachments if kind == "application/pdf"]
    assert f"recu-{payment.receipt_number}.pdf" in attached
    assert the_checkout().state == CheckoutState.PAID


def test_repeated_notifications_and_the_return_url_record_one_payment(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    helloasso.pay(checkout.provider_id)
    for _attempt in range(3):
        assert notify(client, helloasso, checkout, commit).status_code == 200
    with commit():
        client.get(reverse("registrations:checkout_return", args=[checkout.reference]))
    assert Payment.objects.count() == 1
    assert Payment.objects.exclude(receipt_number="").count() == 1
    assert [m.subject for m in mail.outbox].count(f"Inscription confirmée : {event.title}") == 1


def test_a_failed_payment_says_nothing_was_charged_and_offers_a_retry(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    page = client.get(reverse("registrations:checkout_error", args=[checkout.reference]))
    html = page.content.decode()
    assert "Le paiement n'a pas abouti" in html
    assert "rien ne vous a été débité" in html
    assert "Réessayer le paiement" in html
    assert the_checkout().state == CheckoutState.FAILED
    assert Registration.objects.get().status == RegistrationStatus.AWAITING_PAYMENT
    retry = client.post(reverse("registrations:checkout_retry", args=[checkout.reference]))
    second = OnlineCheckout.objects.latest("pk")
    assert second.pk != checkout.pk
    assert retry["Location"] == f"{helloasso.url}/paiement/{second.provider_id}"
    assert not Payment.objects.exists()


def test_a_forged_signature_is_refused(client, home_page, helloasso, commit, settings):
    settings.HELLOASSO_SIGNATURE_KEY = helloasso_server.SIGNATURE_KEY
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    helloasso.pay(checkout.provider_id)
    body = helloasso.notification(checkout.provider_id)
    forged = client.post(
        NOTIFICATION_URL, body, content_type="application/json", HTTP_X_HA_SIGNATURE=helloasso.sign(body, "autre-cle")
    )
    unsigned = client.post(NOTIFICATION_URL, body, content_type="application/json")
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert not Payment.objects.exists()
    assert Registration.objects.get().status == RegistrationStatus.AWAITING_PAYMENT
    signed = notify(client, helloasso, checkout, commit, HTTP_X_HA_SIGNATURE=helloasso.sign(body))
    assert signed.status_code == 200 and Payment.objects.count() == 1


def test_an_unknown_or_unpaid_checkout_changes_nothing(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    # A body claiming a payment the API knows nothing of: the API is asked, not believed.
    assert notify(client, helloasso, checkout, commit).status_code == 200
    assert not Payment.objects.exists()
    body = helloasso.notification(checkout.provider_id, metadata={"reference": "inconnue", "registration": 1})
    assert client.post(NOTIFICATION_URL, body, content_type="application/json").status_code == 400
    assert client.post(NOTIFICATION_URL, b"pas du json", content_type="application/json").status_code == 400
    other_campaign = b'{"eventType": "Order", "data": {"formType": "Donation"}}'
    assert client.post(NOTIFICATION_URL, other_campaign, content_type="application/json").status_code == 200
    assert client.get(NOTIFICATION_URL).status_code == 405
    assert not Payment.objects.exists()
    assert Registration.objects.get().status == RegistrationStatus.AWAITING_PAYMENT


def test_an_amount_that_does_not_match_is_refused(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    helloasso.pay(checkout.provider_id, cents=100)
    assert notify(client, helloasso, checkout, commit).status_code == 400
    page = client.get(reverse("registrations:checkout_return", args=[checkout.reference]))
    assert page.status_code == 400
    assert "Le montant payé ne correspond pas au montant demandé" in page.content.decode()
    assert not Payment.objects.exists()
    assert Registration.objects.get().status == RegistrationStatus.AWAITING_PAYMENT


def test_an_abandoned_checkout_gives_the_seat_to_the_waiting_list(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page, capacity=1)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    waiting = services.register(event, **person(2), price_tiers=[full.pk])
    assert waiting.status == RegistrationStatus.WAITLISTED  # the held seat counts
    Registration.objects.filter(pk=checkout.registration_id).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()
    with commit():
        assert services.expire_holds() == 1
    abandoned = Registration.objects.get(pk=checkout.registration_id)
    assert abandoned.status == RegistrationStatus.CANCELLED and abandoned.lapsed
    assert abandoned.cancelled_reason == "Paiement en ligne non reçu à temps"
    assert the_checkout().state == CheckoutState.ABANDONED
    waiting.refresh_from_db()
    assert waiting.status in (RegistrationStatus.OFFERED, RegistrationStatus.CONFIRMED)
    subjects = [m.subject for m in mail.outbox]
    assert f"Paiement non reçu, demande annulée : {event.title}" in subjects
    # Paid after all, too late: the money is recorded, shown as owed back, the person told.
    helloasso.pay(checkout.provider_id)
    mail.outbox.clear()
    assert notify(client, helloasso, checkout, commit).status_code == 200
    assert Payment.objects.count() == 1
    abandoned.refresh_from_db()
    assert abandoned.status == RegistrationStatus.CANCELLED
    assert payments.money_of(abandoned).refund_owed == Decimal("120.00")
    assert f"Paiement reçu après l'annulation : {event.title}" in [m.subject for m in mail.outbox]


def test_a_provider_timeout_says_so_in_french_and_keeps_the_seat(client, home_page, helloasso, commit, settings):
    settings.HELLOASSO_TIMEOUT = 0.3
    helloasso.delay = 1.0
    event, full, _reduced = online_event(home_page, capacity=3)
    response = register_online(client, event, full, commit)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Le service de paiement HelloAsso ne répond pas pour le moment. Rien n&#x27;a été débité" in html
    assert "Réessayer le paiement" in html
    checkout = the_checkout()
    assert checkout.state == CheckoutState.FAILED and checkout.provider_id == ""
    assert Registration.objects.get().status == RegistrationStatus.AWAITING_PAYMENT
    assert services.seats_remaining(event) == 2
    helloasso.delay = 0
    retry = client.post(reverse("registrations:checkout_retry", args=[checkout.reference]))
    assert retry.status_code == 302 and retry["Location"].startswith(f"{helloasso.url}/paiement/")


def test_review_mode_pays_then_waits_for_the_team(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page, registration_mode="review")
    register_online(client, event, full, commit)
    checkout = the_checkout()
    assert not checkout.registration.holds_seats
    helloasso.pay(checkout.provider_id)
    with commit():
        client.get(reverse("registrations:checkout_return", args=[checkout.reference]))
    assert Registration.objects.get().status == RegistrationStatus.PENDING
    assert Payment.objects.count() == 1


def test_staff_see_the_online_checkouts(client, home_page, helloasso, commit, admin_user):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    checkout = the_checkout()
    client.force_login(admin_user)
    html = client.get(reverse("inscriptions:payments", args=[checkout.registration_id])).content.decode()
    assert "Paiements en ligne (HelloAsso)" in html
    assert checkout.provider_id in html and "En cours sur HelloAsso" in html


def test_the_self_service_page_offers_to_pay_while_the_seat_is_held(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    registration = the_checkout().registration
    value = tokens.make_manage_value(registration)
    html = client.get(reverse("registrations:manage", args=[value])).content.decode()
    assert "Paiement en ligne en attente" in html and "Payer en ligne" in html
    response = client.post(reverse("registrations:manage_pay", args=[value]))
    assert response["Location"] == f"{helloasso.url}/paiement/{OnlineCheckout.objects.latest('pk').provider_id}"
    assert OnlineCheckout.objects.count() == 2


def test_the_event_page_for_staff_lists_who_is_paying(client, home_page, helloasso, commit, admin_user):
    event, full, _reduced = online_event(home_page)
    register_online(client, event, full, commit)
    client.force_login(admin_user)
    html = client.get(reverse("inscriptions:event", args=[event.pk])).content.decode()
    assert "Paiement en ligne en attente (1)" in html and "Martin Camille" in html


def test_a_free_tier_needs_no_payment(client, home_page, helloasso, commit):
    event, _full, _reduced = online_event(home_page)
    free = PriceTier.objects.create(page=event, sort_order=2, label="Habitant·es des Grésilles", amount=Decimal("0"))
    response = register_online(client, event, free, commit)
    assert response["Location"].endswith("/merci/")
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert helloasso.intents == {}


def test_a_full_event_puts_people_on_the_waiting_list_without_a_checkout(client, home_page, helloasso, commit):
    event, full, _reduced = online_event(home_page, capacity=1)
    services.register(event, **person(2), price_tiers=[full.pk])
    response = register_online(client, event, full, commit)
    assert response["Location"].endswith("/merci/")
    assert Registration.objects.get(email="camille@example.org").status == RegistrationStatus.WAITLISTED
    assert helloasso.intents == {}
