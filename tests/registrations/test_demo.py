"""The demo workshop takes registrations with its two questions."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.demo import REVIEWED_TRAINING_SLUG, UPCOMING_WORKSHOP_SLUG
from events.models import EventPage
from registrations import services
from registrations.models import RegistrationStatus

pytestmark = pytest.mark.django_db


def test_demo_workshop_is_ready_and_idempotent(client):
    call_command("load_demo")
    call_command("load_demo")
    event = EventPage.objects.get(slug=UPCOMING_WORKSHOP_SLUG)
    assert event.capacity == 30 and event.registration_mode == "open" and event.waitlist_enabled
    assert [q.label for q in event.registration_questions.all()] == ["Type de structure", "Repas du midi"]
    assert event.registrations.count() == 3
    # Each demo person is on the door screen and the sign-in sheet: one attendee each, run twice or not.
    assert [r.attendees.count() for r in event.registrations.all()] == [1, 1, 1]
    assert services.availability(event).message == "27 places restantes"
    html = client.get(reverse("registrations:register", args=[event.pk])).content.decode()
    assert "Type de structure" in html and "Repas du midi" in html
    assert "27 places restantes" in client.get(event.url).content.decode()


def test_demo_has_requests_waiting_for_approval():
    call_command("load_demo")
    call_command("load_demo")
    training = EventPage.objects.get(slug=REVIEWED_TRAINING_SLUG)
    assert training.registration_mode == "review" and training.live
    pending = training.registrations.filter(status=RegistrationStatus.PENDING).order_by("pk")
    assert pending.count() == 2
    assert all(r.consent_at and r.email.endswith("@example.org") for r in pending)

    approved = services.approve(pending.first())
    assert approved.status == RegistrationStatus.CONFIRMED


def test_demo_workshop_offers_freed_seats_from_its_waiting_list():
    """The demo keeps the model's defaults: offers on, 24 hours, no address check."""
    call_command("load_demo")
    event = EventPage.objects.get(slug=UPCOMING_WORKSHOP_SLUG)
    assert event.waitlist_offers and event.waitlist_offer_hours == 24 and not event.verify_email
    people = [
        services.register(event, first_name="Camille", last_name=f"Démo{n}", email=f"demo{n}@example.org")
        for n in range(28)
    ]
    assert people[-1].status == RegistrationStatus.WAITLISTED
    services.cancel(people[0])
    people[-1].refresh_from_db()
    assert people[-1].status == RegistrationStatus.OFFERED
    assert services.availability(event).state == "full_waitlist"
