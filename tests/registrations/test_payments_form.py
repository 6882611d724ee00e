"""The tier fields of the public and staff registration forms."""

import pytest

from registrations.models import Attendee, Registration
from tests.registrations.payment_helpers import make_paid_event
from tests.registrations.test_views import post, url

pytestmark = pytest.mark.django_db


def test_the_form_offers_each_tier_with_its_amount_and_conditions(client, home_page):
    event, full, reduced = make_paid_event(home_page)
    html = client.get(url(event)).content.decode()
    assert f'type="radio" name="price_tier" value="{full.pk}"' in html
    assert "Plein tarif — 120,00\u00a0€" in html
    assert (
        "Tarif réduit — 60,00\u00a0€ (Étudiant·es, demandeur·ses d&#x27;emploi ; Justificatif à présenter sur place)"
        in html
    )
    assert 'name="tier_eligibility"' in html


def test_a_free_event_has_no_tier_field(client, event):
    html = client.get(url(event)).content.decode()
    assert 'name="price_tier"' not in html and 'name="tier_eligibility"' not in html


def test_the_reduced_tier_needs_the_eligibility_box(client, home_page, commit):
    event, _full, reduced = make_paid_event(home_page)
    response = post(client, event, commit, price_tier=str(reduced.pk))
    assert response.status_code == 200
    assert "Cochez cette case pour confirmer les conditions du tarif choisi." in response.content.decode()
    assert not Registration.objects.exists()
    response = post(client, event, commit, price_tier=str(reduced.pk), tier_eligibility="on")
    assert response.status_code == 302
    assert Attendee.objects.get().price_tier == reduced


def test_the_full_tier_needs_no_box_and_a_tier_is_required(client, home_page, commit):
    event, full, _reduced = make_paid_event(home_page)
    response = post(client, event, commit)
    assert "Choisissez votre tarif." in response.content.decode()
    assert post(client, event, commit, price_tier=str(full.pk)).status_code == 302
    assert Attendee.objects.get().price_tier == full


def test_each_companion_has_a_tier(client, home_page, commit):
    event, full, reduced = make_paid_event(home_page, max_seats_per_registration=2)
    data = {"seats": "2", "companion_2_first_name": "Lou", "companion_2_last_name": "Petit", "price_tier": str(full.pk)}
    response = post(client, event, commit, **data)
    assert "Choisissez le tarif de la personne 2." in response.content.decode()
    data.update(companion_2_price_tier=str(reduced.pk), tier_eligibility="on")
    assert post(client, event, commit, **data).status_code == 302
    assert [a.price_tier for a in Attendee.objects.order_by("position")] == [full, reduced]


def test_a_full_quota_is_said_on_the_form(client, home_page, commit):
    event, full, reduced = make_paid_event(home_page, reduced_quota=1)
    post(client, event, commit, price_tier=str(reduced.pk), tier_eligibility="on")
    response = post(client, event, commit, email="lou@example.org", price_tier=str(reduced.pk), tier_eligibility="on")
    assert response.status_code == 200
    assert "Il ne reste plus de place au tarif « Tarif réduit »" in response.content.decode()


def test_staff_add_a_booking_with_tiers(admin_client, home_page):
    event, full, reduced = make_paid_event(home_page)
    response = admin_client.post(
        f"/admin/inscriptions/evenement/{event.pk}/ajouter/",
        {
            "first_name": "Alix",
            "last_name": "Guichet",
            "seats": "2",
            "price_tier": str(reduced.pk),
            "tier_eligibility": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [a.price_tier for a in Attendee.objects.order_by("position")] == [reduced, reduced]
