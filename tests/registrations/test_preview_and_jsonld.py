"""Unsaved events (editor preview) and the seats figures published on the event page."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventPage
from registrations import services
from tests.events.factories import EventPageFactory, make_agenda
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


def test_an_unsaved_event_has_no_seats_taken():
    event = EventPageFactory.build(capacity=12, registration_mode="open", waitlist_enabled=True)
    assert services.seats_taken(event) == 0
    assert services.seats_remaining(event) == 12
    state = services.availability(event)
    assert (state.state, state.message, state.seats_remaining) == ("open", "12 places restantes", 12)


def test_admin_preview_of_a_new_event_with_seats(client, admin_user, home_page):
    agenda = make_agenda(home_page)
    client.force_login(admin_user)
    preview_url = f"/admin/pages/add/events/eventpage/{agenda.pk}/preview/"
    data = nested_form_data(
        {
            "title": "Atelier aperçu",
            "slug": "atelier-apercu",
            "start": "2099-07-03 09:30",
            "end": "2099-07-03 17:00",
            "access_and_price": "Gratuit",
            "status": "scheduled",
            "summary": "Un atelier que l'on prévisualise avant de l'enregistrer.",
            "objectives": rich_text(""),
            "body": streamfield([]),
            "event_partners": inline_formset([]),
            "registration_questions": inline_formset([]),
            "sessions": inline_formset([]),
            "price_tiers": inline_formset([]),
            "signed_sheets": inline_formset([]),
            "schedule": "single",
            "registration_mode": "open",
            "capacity": "12",
            "waitlist_enabled": "on",
            "waitlist_offer_hours": "24",
            "max_seats_per_registration": "1",
            "staff_notification": "each",
            "online_payment": "off",
        }
    )
    assert client.post(preview_url, data).json()["is_valid"] is True
    response = client.get(preview_url)
    assert response.status_code == 200
    data = _jsonld_event(response.content.decode())
    assert (data["maximumAttendeeCapacity"], data["remainingAttendeeCapacity"]) == (12, 12)
    assert not EventPage.objects.filter(slug="atelier-apercu").exists()


def test_registration_box_of_an_unsaved_event_renders():
    from django.template import Context, Template

    event = EventPageFactory.build(capacity=3, registration_mode="open", waitlist_enabled=True)
    html = Template("{% load registration_tags %}{% registration_box page %}").render(Context({"page": event}))
    assert "3 places restantes" in html


def _jsonld_event(html):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        items = data if isinstance(data, list) else data.get("@graph", [data])
        for item in items:
            if item.get("@type") == "Event":
                return item
    raise AssertionError("no Event JSON-LD on the page")


def test_next_event_page_shows_the_seats_left_after_a_registration(client, home_page, commit):
    event = make_event(home_page, capacity=12)
    html = client.get(event.url).content.decode()
    assert "12 places restantes" in html
    data = _jsonld_event(html)
    assert (data["maximumAttendeeCapacity"], data["remainingAttendeeCapacity"]) == (12, 12)

    with commit():
        services.register(event, seats=1, **person(1))

    html = client.get(event.url).content.decode()
    assert "11 places restantes" in html
    data = _jsonld_event(html)
    assert (data["maximumAttendeeCapacity"], data["remainingAttendeeCapacity"]) == (12, 11)
    form = client.get(reverse("registrations:register", args=[event.pk])).content.decode()
    assert "11 places restantes" in form
