"""Site settings: main menu the staff reorder, footer contact and legal links."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from events.structure import link_agenda
from home.models import MenuItem, SiteSettings
from home.structure import add_menu_item
from tests.events.factories import EventIndexPageFactory
from tests.home.factories import ContentPageFactory, NewsIndexPageFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_menu_follows_the_staff_order_and_marks_the_current_page(client, home_page):
    site = Site.objects.get()
    news = NewsIndexPageFactory(parent=home_page)
    project = ContentPageFactory(parent=home_page, title="Le projet")
    add_menu_item(site, news)
    add_menu_item(site, project, label="Qui sommes-nous ?", position=0)
    add_menu_item(site, project)  # already there: unchanged

    body = client.get(news.url).content.decode()

    nav = body[body.index('aria-label="Menu principal"') :]
    assert nav.index("Qui sommes-nous ?") < nav.index("Actualités")
    assert f'<a href="{news.url}" aria-current="page">Actualités</a>' in body
    assert MenuItem.objects.count() == 2


def test_unpublished_menu_pages_are_hidden(client, home_page):
    page = ContentPageFactory(parent=home_page, title="Brouillon secret")
    add_menu_item(Site.objects.get(), page)
    page.unpublish()

    assert "Brouillon secret" not in client.get("/").content.decode()


def test_footer_shows_contact_details_and_legal_links(client, home_page):
    legal = ContentPageFactory(parent=home_page, title="Mentions légales")
    privacy = ContentPageFactory(parent=home_page, title="Politique de confidentialité")
    site_settings = SiteSettings.for_site(Site.objects.get())
    site_settings.address = "33 place Galilée\n21000 Dijon"
    site_settings.email = "contact@example.org"
    site_settings.legal_page = legal
    site_settings.privacy_page = privacy
    site_settings.save()

    body = client.get("/").content.decode()
    footer = body[body.index("<footer") :]

    assert "33 place Galilée<br>21000 Dijon" in footer
    assert 'href="mailto:contact@example.org"' in footer
    assert f'href="{legal.url}">Mentions légales' in footer
    assert f'href="{privacy.url}">Politique de confidentialité' in footer


def test_settings_with_menu_are_editable_in_the_admin(client, home_page):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pass")
    client.force_login(user)
    site = Site.objects.get()
    url = f"/admin/settings/home/sitesettings/{site.pk}/"

    response = client.get(url)
    assert response.status_code == 200
    assert "Menu principal" in response.content.decode()

    response = client.post(
        url,
        {
            "address": "33 place Galilée",
            "email": "contact@example.org",
            "menu_items-TOTAL_FORMS": "1",
            "menu_items-INITIAL_FORMS": "0",
            "menu_items-MIN_NUM_FORMS": "0",
            "menu_items-MAX_NUM_FORMS": "1000",
            "menu_items-0-link_page": str(home_page.pk),
            "menu_items-0-label": "Accueil",
            "menu_items-0-ORDER": "1",
            "menu_items-0-id": "",
            "menu_items-0-DELETE": "",
        },
    )
    assert response.status_code == 302
    assert SiteSettings.for_site(site).menu_items.get().label == "Accueil"


def test_partner_snippets_are_listed_and_filterable_in_the_admin(client, db):
    PartnerFactory(name="Ville de Dijon", category="funder")
    PartnerFactory(name="Movilab", category="network")
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pass")
    client.force_login(user)

    body = client.get("/admin/snippets/home/partner/?category=network").content.decode()

    assert "Movilab" in body
    assert "Ville de Dijon" not in body


def test_link_agenda_puts_the_agenda_second_once(home_page):
    site = Site.objects.get()
    news = NewsIndexPageFactory(parent=home_page)
    project = ContentPageFactory(parent=home_page, title="Le projet")
    add_menu_item(site, project)
    add_menu_item(site, news)
    link_agenda(site)  # no agenda yet: nothing happens
    assert MenuItem.objects.count() == 2

    agenda = EventIndexPageFactory(parent=home_page)
    link_agenda(site)
    link_agenda(site)

    order = list(SiteSettings.for_site(site).menu_items.order_by("sort_order").values_list("link_page", flat=True))
    assert order == [project.pk, agenda.pk, news.pk]
