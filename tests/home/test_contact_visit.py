"""« Venir à La Coursive » on the contact page, and the phone, social and newsletter links, from the settings."""

import re

import pytest

from home.models import SiteSettings
from tests.home.factories import ContactPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(home_page):
    return ContactPageFactory(parent=home_page)


@pytest.fixture
def filled(home_page):
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.address = "La Coursive Boutaric\n33 place Galilée\n21000 Dijon"
    site_settings.phone = "03 80 12 34 56"
    site_settings.opening_hours = "Du lundi au vendredi, de 9 h à 18 h"
    site_settings.getting_here = "Tram T1, arrêt du quartier\nÀ vélo : arceaux sur la place"
    site_settings.accessibility_info = "Prévenez l'équipe pour un besoin particulier."
    site_settings.mastodon_url = "https://mastodon.example/@coursive"
    site_settings.newsletter_url = "https://lettre.example/inscription"
    site_settings.save()
    return site_settings


def main_of(client, page):
    body = client.get(page.url).content.decode()
    return body.split("<main")[1].split("</main>")[0]


def test_venir_block_shows_address_transport_hours_accessibility_and_a_map_link(client, contact, filled):
    main = main_of(client, contact)
    assert "Venir à La Coursive" in main
    for text in ["33 place Galilée", "Tram T1, arrêt du quartier<br>À vélo", "de 9 h à 18 h", "besoin particulier"]:
        assert text in main, text
    link = re.search(r'href="(https://www\.openstreetmap\.org/[^"]+)"', main).group(1)
    # Street and town are searched, the name line would find nothing.
    assert link == "https://www.openstreetmap.org/search?query=33%20place%20Galil%C3%A9e%2C%2021000%20Dijon"


def test_nothing_is_loaded_from_a_third_party(client, contact, filled):
    main = main_of(client, contact)
    assert "<iframe" not in main
    assert not re.search(r'<(img|script|source)[^>]+(src|srcset)="https?://', main)


def test_phone_social_and_newsletter_links_when_filled(client, contact, filled):
    body = client.get(contact.url).content.decode()
    assert 'href="tel:0380123456"' in body
    assert 'href="https://mastodon.example/@coursive" rel="me"' in body
    assert body.count('href="https://lettre.example/inscription"') == 2  # contact card and footer


def test_empty_settings_show_no_empty_block_nor_dead_link(client, contact, home_page):
    main = main_of(client, contact)
    assert "Venir à La Coursive" not in main
    assert "openstreetmap" not in main
    assert "tel:" not in main and "lettre d'information" not in main
