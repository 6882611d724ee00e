"""Deleting an event that has registrations is refused in French, before Wagtail tries (no 500, no names in logs)."""

import logging

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from events.models import EventPage
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

NAME = "Zéphyrine Quatremare"


@pytest.fixture
def admin_client_(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.fixture
def booked(home_page):
    event = make_event(home_page, title="Atelier vélo")
    make_registration(event, first_name="Zéphyrine", last_name="Quatremare")
    return event


def french_refusal(response):
    assert response.status_code == 302
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Suppression impossible" in text and "Annulez" in text for text in texts), texts
    return " ".join(texts)


def test_deleting_an_event_with_registrations_is_refused_in_french(admin_client_, booked, caplog):
    caplog.set_level(logging.DEBUG)
    url = reverse("wagtailadmin_pages:delete", args=[booked.pk])

    assert "« Atelier vélo »" in french_refusal(admin_client_.get(url))  # before the confirmation page
    text = french_refusal(admin_client_.post(url))

    assert EventPage.objects.filter(pk=booked.pk).exists()
    assert NAME not in text and "Quatremare" not in caplog.text
    assert "ProtectedError" not in caplog.text


def test_deleting_a_section_holding_such_events_is_refused(admin_client_, booked, caplog):
    agenda = booked.get_parent()
    response = admin_client_.post(reverse("wagtailadmin_pages:delete", args=[agenda.pk]))

    assert "« Atelier vélo »" in french_refusal(response)
    assert Page.objects.filter(pk=agenda.pk).exists() and EventPage.objects.filter(pk=booked.pk).exists()
    assert "Quatremare" not in caplog.text


@pytest.mark.parametrize("which", ["event", "section"])
def test_bulk_deleting_them_is_refused_too(admin_client_, booked, caplog, which):
    target = booked if which == "event" else booked.get_parent()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={target.pk}&next=/admin/"

    response = admin_client_.post(url)

    french_refusal(response)
    assert EventPage.objects.filter(pk=booked.pk).exists()
    assert "Quatremare" not in caplog.text


def test_an_event_without_registrations_can_still_be_deleted(admin_client_, home_page):
    event = make_event(home_page, title="Atelier sans inscrit")
    response = admin_client_.post(reverse("wagtailadmin_pages:delete", args=[event.pk]))
    assert response.status_code == 302
    assert not EventPage.objects.filter(pk=event.pk).exists()
