"""The demo workshop takes registrations with its two questions."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.demo import UPCOMING_WORKSHOP_SLUG
from events.models import EventPage
from registrations import services

pytestmark = pytest.mark.django_db


def test_demo_workshop_is_ready_and_idempotent(client):
    call_command("load_demo")
    call_command("load_demo")
    event = EventPage.objects.get(slug=UPCOMING_WORKSHOP_SLUG)
    assert event.capacity == 30 and event.registration_mode == "open" and event.waitlist_enabled
    assert [q.label for q in event.registration_questions.all()] == ["Type de structure", "Repas du midi"]
    assert event.registrations.count() == 3
    assert services.availability(event).message == "27 places restantes"
    html = client.get(reverse("registrations:register", args=[event.pk])).content.decode()
    assert "Type de structure" in html and "Repas du midi" in html
    assert "27 places restantes" in client.get(event.url).content.decode()
