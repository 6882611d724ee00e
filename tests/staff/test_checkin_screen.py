"""The door check-in screen reads the right way round: present is the visibly done state."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.registrations.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def row(html, registration):
    """The door screen's line of the registrant (one line per person: see tests/staff/test_people_at_the_door.py)."""
    attendee = registration.attendees.get(position=1)
    return re.search(rf'<li id="a{attendee.pk}"[^>]*>.*?</li>', html, re.S).group(0)


def test_present_rows_are_done_and_the_others_invite_the_tap(manager_client, event):
    here = RegistrationFactory(event=event, checked_in_at=timezone.now())
    coming = RegistrationFactory(event=event)
    html = manager_client.get(reverse("inscriptions:check_in", args=[event.pk])).content.decode()

    done = row(html, here)
    assert 'class="checkin-done"' in done
    assert "checkin-present" in done and "✓ Présent·e" in done
    waiting = row(html, coming)
    assert "checkin-done" not in waiting
    assert "button-secondary" in waiting and "Marquer présent·e" in waiting
