"""Migration 0008 keeps the promise made to people already waiting: their event confirms freed seats at once."""

import importlib

import pytest
from django.apps import apps

from events.models import EventPage
from registrations.models import RegistrationStatus
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

migration = importlib.import_module("registrations.migrations.0011_waitlist_offers_and_holds")


def test_events_with_people_waiting_keep_automatic_confirmation(home_page):
    with_list = make_event(home_page, capacity=1, waitlist_offers=True)
    make_registration(with_list)
    make_registration(with_list, status=RegistrationStatus.WAITLISTED)
    without_list = make_event(home_page, capacity=1, waitlist_offers=True)
    make_registration(without_list)

    migration.keep_the_promise_to_people_waiting(apps, None)

    with_list = EventPage.objects.get(pk=with_list.pk)
    assert with_list.waitlist_offers is False
    assert with_list.get_latest_revision_as_object().waitlist_offers is False  # what the editor opens next
    assert EventPage.objects.get(pk=without_list.pk).waitlist_offers is True
