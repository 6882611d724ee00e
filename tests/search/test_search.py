"""Site search: French full text over live public pages, promotions first, queries logged."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from tests.home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    place = ContentPageFactory(
        parent=home_page, title="Un lieu ouvert", introduction="500 m² au 33 place Galilée, aux Grésilles."
    )
    other = ContentPageFactory(parent=home_page, title="Mentions légales", introduction="Éditeur du site.")
    draft = ContentPageFactory(parent=home_page, title="Brouillon Galilée", live=False)
    return place, other, draft


def test_search_finds_live_pages_and_logs_the_query(client, pages):
    place, other, draft = pages
    response = client.get("/recherche/", {"q": "Galilée"})
    body = response.content.decode()

    assert response.status_code == 200
    assert f'href="{place.url}"' in body
    assert "Mentions légales" not in body.split("<main")[1].split("</main>")[0]
    assert "Brouillon Galilée" not in body
    assert Query.get("Galilée").hits == 1


def test_promotions_come_before_results(client, pages):
    place, other, draft = pages
    SearchPromotion.objects.create(
        query=Query.get("galilée"), page=other, sort_order=0, description="À lire en premier."
    )

    body = client.get("/recherche/", {"q": "Galilée"}).content.decode()

    assert "Nous vous recommandons" in body
    assert "À lire en premier." in body
    assert body.index(f'href="{other.url}"') < body.index(f'href="{place.url}"')


def test_results_are_paginated(client, home_page):
    for n in range(12):
        ContentPageFactory(parent=home_page, title=f"Coopération numéro {n}", introduction="Coopération locale.")

    first = client.get("/recherche/", {"q": "coopération"}).content.decode()
    second = client.get("/recherche/", {"q": "coopération", "page": 2}).content.decode()

    assert "12 résultats" in first
    assert first.count('class="search-result"') == 10
    assert second.count('class="search-result"') == 2
    assert 'href="?q=coop%C3%A9ration&amp;page=2"' in first


def test_search_page_is_noindex_and_has_one_h1(client, db):
    body = client.get("/recherche/", {"q": "rien du tout"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in body
    assert body.count("<h1") == 1
    assert "Aucune page ne correspond" in body


def test_search_finds_demo_content(client, db):
    from django.core.management import call_command

    call_command("load_demo")
    body = client.get("/recherche/", {"q": "Galilée"}).content.decode()
    assert "Un lieu ouvert" in body
    body = client.get("/recherche/", {"q": "coopérer"}).content.decode()
    assert "Tiers-lieux et institutions culturelles" in body


@pytest.mark.parametrize("restriction", ["password", "login", "unpublished"])
def test_a_promoted_private_or_unpublished_page_is_not_shown(client, home_page, restriction):
    secret = ContentPageFactory(parent=home_page, title="Compte rendu du conseil", introduction="Salaires 2025.")
    if restriction == "unpublished":
        secret.unpublish()
    else:
        PageViewRestriction.objects.create(page=secret, restriction_type=restriction, password="motdepasse")
    SearchPromotion.objects.create(query=Query.get("conseil"), page=secret, sort_order=0, description="Confidentiel.")
    SearchPromotion.objects.create(
        query=Query.get("conseil"), external_link_url="https://example.org/", external_link_text="Le réseau"
    )

    body = client.get("/recherche/", {"q": "conseil"}).content.decode()

    assert "Compte rendu du conseil" not in body and "Confidentiel." not in body
    assert secret.url not in body
    assert "Le réseau" in body
