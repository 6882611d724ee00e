"""`setup_site`: the essential structure of a real deployment, without demo content; idempotent."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from events.models import EventCategory, EventIndexPage, EventPage, Venue
from home.models import (
    ArticlePage,
    ContactPage,
    ContentPage,
    HomePage,
    MemberPage,
    MenuItem,
    NewsIndexPage,
    Partner,
    SiteSettings,
)
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def setup_site(*args):
    out = io.StringIO()
    call_command("setup_site", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything setup_site may create or change."""
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    return {
        "pages": sorted(Page.objects.values_list("pk", "url_path", "live")),
        "revisions": Revision.objects.count(),
        "venues": sorted(Venue.objects.values_list("pk", "name", "is_default")),
        "categories": sorted(EventCategory.objects.values_list("pk", "slug")),
        "menu": list(site_settings.menu_items.order_by("sort_order").values_list("pk", "link_page_id")),
        "site": (Site.objects.count(), site.pk, site.hostname, site.port, site.root_page_id),
        "settings": (
            site_settings.pk,
            site_settings.email,
            site_settings.address,
            site_settings.legal_page_id,
            site_settings.privacy_page_id,
            site_settings.accessibility_page_id,
        ),
    }


def menu_slugs(site):
    return list(SiteSettings.for_site(site).menu_items.order_by("sort_order").values_list("link_page__slug", flat=True))


def test_setup_site_builds_the_structure_once(client):
    output = setup_site()
    first = snapshot()
    setup_site()
    assert snapshot() == first

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()  # Wagtail's welcome page is gone
    assert EventIndexPage.objects.child_of(home).count() == 1
    assert ContactPage.objects.child_of(home).count() == 1
    assert Venue.get_default().full_address == "La Coursive Boutaric, 33 place Galilée, 21000 Dijon"
    assert set(EventCategory.objects.values_list("slug", flat=True)) == {
        "atelier",
        "conference",
        "exposition",
        "evenement-festif-et-citoyen",
        "formation",
    }
    assert menu_slugs(site) == ["agenda", "contact"]

    site_settings = SiteSettings.for_site(site)
    assert site_settings.email == "contact@lacoursiveboutaric.fr"
    assert site_settings.legal_page.slug == "mentions-legales"
    assert site_settings.privacy_page.slug == "politique-de-confidentialite"
    assert site_settings.accessibility_page.slug == "accessibilite"
    for page in (site_settings.legal_page, site_settings.privacy_page, site_settings.accessibility_page):
        assert page.live and page.title in output  # listed as pages to complete

    # No demo content at all.
    for model in (ArticlePage, NewsIndexPage, MemberPage, EventPage, Partner, Registration):
        assert not model.objects.exists(), model
    assert Venue.objects.count() == 1
    assert ContentPage.objects.count() == 3

    # The pages work, and say plainly what the staff must complete.
    footer = client.get("/").content.decode()
    assert site_settings.privacy_page.url in footer and site_settings.accessibility_page.url in footer
    assert client.get("/agenda/").status_code == 200
    assert client.get("/contact/").status_code == 200
    legal = client.get("/mentions-legales/").content.decode()
    assert "À compléter" in legal and "hébergeur" in legal
    privacy = client.get("/politique-de-confidentialite/").content.decode()
    assert "180 jours" in privacy and "À compléter" in privacy
    accessibility = client.get("/accessibilite/").content.decode()
    assert "non conforme" in accessibility and "Défenseur des droits" in accessibility


def test_site_address_comes_from_the_option_or_the_admin_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://www.lacoursiveboutaric.fr"
    setup_site()
    assert Site.objects.get().root_url == "https://www.lacoursiveboutaric.fr"

    setup_site("--hostname", "ailleurs.example.org")  # an address already set is never replaced
    assert Site.objects.get().root_url == "https://www.lacoursiveboutaric.fr"


def test_hostname_option_on_a_fresh_install():
    setup_site("--hostname", "www.lacoursiveboutaric.fr")
    assert Site.objects.get().root_url == "https://www.lacoursiveboutaric.fr"


def test_load_demo_after_setup_site_adds_the_demo_and_stays_idempotent(client):
    setup_site()
    structure = snapshot()
    home_pk = structure["site"][4]

    call_command("load_demo", stdout=io.StringIO())
    after_demo = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    setup_site()
    assert snapshot() == after_demo

    site = Site.objects.get()
    assert site.root_page_id == home_pk and HomePage.objects.count() == 1
    assert EventIndexPage.objects.count() == 1 and Venue.objects.filter(is_default=True).count() == 1
    assert ArticlePage.objects.exists() and Registration.objects.exists()
    assert menu_slugs(site) == ["le-projet", "agenda", "actualites", "membres-et-projets", "partenaires", "contact"]
    # What the staff had (placeholder texts to complete) is kept.
    assert "À compléter" in client.get("/mentions-legales/").content.decode()
    assert SiteSettings.for_site(site).default_social_image is not None  # the demo fills what was empty


def test_setup_site_after_load_demo_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    before = snapshot()
    menu = MenuItem.objects.count()
    setup_site()
    assert snapshot() == before and MenuItem.objects.count() == menu
