"""What visitors see on an event page, and what search engines read from it."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.events.factories import (
    EventCategoryFactory,
    EventPageFactory,
    EventPartnerFactory,
    VenueFactory,
    days_from_now,
    paris,
)
from tests.registrations.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def jsonld(response):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.fixture
def workshop(agenda):
    venue = VenueFactory(
        name="La Coursive Boutaric",
        address="33 place Galilée",
        postcode="21000",
        city="Dijon",
        access_notes="Au cœur du quartier des Grésilles.",
        accessibility_notes="Contactez l'équipe pour préparer votre venue.",
    )
    return EventPageFactory(
        parent=agenda,
        title="Tiers-lieux et institutions culturelles",
        summary="Coopérer et faire commun sur le territoire.",
        audience="Professionnels des musées et des tiers-lieux.",
        objectives="<ul><li>Renforcer l'interconnaissance</li></ul>",
        start=paris(2099, 7, 3, 9, 30),
        end=paris(2099, 7, 3, 17),
        venue=venue,
        registration_mode="open",
        capacity=30,
    )


def test_event_page_shows_french_dates_and_practical_information(client, workshop):
    html = client.get(workshop.url).content.decode()

    assert html.count("<h1>") == 1
    assert "vendredi 3 juillet 2099, 9\u00a0h\u00a030\u00a0– 17\u00a0h" in html
    assert "<dt>Quand</dt>" in html and "<dt>Où</dt>" in html
    assert "33 place Galilée<br>21000 Dijon" in html
    assert "Au cœur du quartier des Grésilles." in html
    assert "Contactez l&#x27;équipe pour préparer votre venue." in html
    assert "<dt>Accès / tarif</dt>" in html and "Gratuit — inscription obligatoire" in html
    assert "<dt>Destinataires</dt>" in html and "Professionnels des musées et des tiers-lieux." in html
    assert "Renforcer l&#x27;interconnaissance" in html or "Renforcer l'interconnaissance" in html
    assert f'href="/calendrier/evenement/{workshop.pk}.ics"' in html
    assert f'<link rel="alternate" type="text/calendar" title="{workshop.title}" href="/calendrier/evenement/' in html


def test_registration_box_is_shown(client, workshop):
    html = client.get(workshop.url).content.decode()
    assert 'class="registration-box"' in html
    assert "30 places restantes" in html


def test_cancelled_event_has_a_banner_and_no_registration(client, workshop):
    workshop.status = "cancelled"
    workshop.save()
    html = client.get(workshop.url).content.decode()
    assert "Événement annulé." in html
    assert 'class="registration-box"' not in html


def test_postponed_event_has_a_banner(client, workshop):
    workshop.status = "postponed"
    workshop.save()
    assert "Événement reporté." in client.get(workshop.url).content.decode()


def test_partners_are_grouped_by_role(client, workshop):
    EventPartnerFactory(page=workshop, partner__name="Ocim", role="organiser")
    EventPartnerFactory(page=workshop, partner__name="La Coursive Boutaric", role="partner")
    html = client.get(workshop.url).content.decode()
    organised = html.index("<h3>Organisé par</h3>")
    partnership = html.index("<h3>En partenariat avec</h3>")
    assert organised < html.index("Ocim", organised) < partnership
    assert "La Coursive Boutaric</li>" in html[partnership:]


def test_related_events_are_upcoming_same_category_without_itself(client, agenda, workshop):
    other_category = EventCategoryFactory(slug="autre")
    for n in range(4):
        EventPageFactory(
            parent=agenda, title=f"Même catégorie {n}", start=days_from_now(n + 1), category=workshop.category
        )
    EventPageFactory(parent=agenda, title="Passé même catégorie", start=days_from_now(-5), category=workshop.category)
    EventPageFactory(parent=agenda, title="Autre catégorie", start=days_from_now(1), category=other_category)

    html = client.get(workshop.url).content.decode()
    related = html[html.index("À venir dans la même catégorie") :]

    assert re.findall(r"Même catégorie \d", related) == ["Même catégorie 0", "Même catégorie 1", "Même catégorie 2"]
    assert "Passé même catégorie" not in related and "Autre catégorie" not in related
    assert workshop.title not in related


def test_jsonld_describes_the_event(client, workshop, rf):
    EventPartnerFactory(page=workshop, partner__name="Ocim", partner__website="https://ocim.fr/", role="organiser")
    workshop.image = Image.objects.create(title="Visuel", file=get_test_image_file())
    workshop.save()

    data = jsonld(client.get(workshop.url))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Tiers-lieux et institutions culturelles"
    assert data["startDate"] == "2099-07-03T09:30:00+02:00"
    assert data["endDate"] == "2099-07-03T17:00:00+02:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "33 place Galilée",
        "postalCode": "21000",
        "addressLocality": "Dijon",
        "addressCountry": "FR",
    }
    assert data["organizer"] == [{"@type": "Organization", "name": "Ocim", "url": "https://ocim.fr/"}]
    assert data["description"] == "Coopérer et faire commun sur le territoire."
    assert data["url"] == "http://localhost/agenda/" + workshop.slug + "/"
    assert data["image"][0].startswith("http://testserver/")
    assert data["offers"]["price"] == 0 and data["offers"]["priceCurrency"] == "EUR"
    assert data["maximumAttendeeCapacity"] == 30
    assert data["remainingAttendeeCapacity"] == 30


def test_jsonld_remaining_capacity_drops_with_confirmed_registrations(client, workshop):
    RegistrationFactory(event=workshop, seats=1, status="confirmed")
    assert jsonld(client.get(workshop.url))["remainingAttendeeCapacity"] == 29


def test_jsonld_without_organiser_names_la_coursive_and_reflects_cancellation(client, workshop):
    workshop.status = "cancelled"
    workshop.capacity = None
    workshop.save()
    data = jsonld(client.get(workshop.url))
    assert data["organizer"][0]["name"] == "La Coursive Boutaric"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "maximumAttendeeCapacity" not in data and "remainingAttendeeCapacity" not in data


def test_jsonld_is_escaped_against_script_injection(client, workshop):
    workshop.title = "</script><script>alert(1)</script>"
    workshop.save()
    html = client.get(workshop.url).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld(client.get(workshop.url))["name"] == "</script><script>alert(1)</script>"


def test_jsonld_of_a_postponed_event(client, workshop):
    workshop.status = "postponed"
    workshop.save()
    assert jsonld(client.get(workshop.url))["eventStatus"] == "https://schema.org/EventPostponed"


def test_all_day_jsonld_uses_dates(client, agenda):
    page = EventPageFactory(parent=agenda, start=paris(2099, 9, 10), end=paris(2099, 9, 12), all_day=True)
    data = jsonld(client.get(page.url))
    assert (data["startDate"], data["endDate"]) == ("2099-09-10", "2099-09-12")


def _count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_event_page_query_count_does_not_grow_with_partners_or_related_events(client, agenda, workshop):
    EventPartnerFactory(page=workshop, role="organiser")
    EventPageFactory(parent=agenda, start=days_from_now(3), category=workshop.category)
    few = _count_queries(client, workshop.url)
    for role in ["organiser", "partner", "funder"] * 3:
        EventPartnerFactory(page=workshop, role=role)
    for n in range(4):
        EventPageFactory(parent=agenda, start=days_from_now(n + 4), category=workshop.category)
    assert _count_queries(client, workshop.url) == few
