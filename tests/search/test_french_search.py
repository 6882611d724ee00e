"""Search that finds in French, on the embedded SQLite default as on PostgreSQL.

The examples people met (issue 15): "tiers-lieu" must find "Tiers-lieux…", "cooperation"
must find "coopération". The same tests run on both databases (CI runs the suite on
each); the ``postgres`` ones also check the accent-folding configuration is the one used.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from search.french import highlight, search_query, variants, words
from tests.home.factories import ContentPageFactory
from tests.registrations.factories import make_event

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def content(home_page):
    article = ContentPageFactory(
        parent=home_page,
        title="Tiers-lieux et institutions culturelles",
        introduction="Comment la coopération entre lieux culturels se construit aux Grésilles.",
    )
    other = ContentPageFactory(parent=home_page, title="Mentions légales", introduction="Éditeur du site.")
    return article, other


def results_of(client, query):
    body = client.get("/recherche/", {"q": query}).content.decode()
    return body.split("<main")[1].split("</main>")[0]


EXAMPLES = [
    "tiers-lieu",
    "tiers-lieux",
    "Tiers lieu",
    "cooperation",
    "coopérations",
    "COOPERATION culturelle",
    "institution culturelle",
    "lieu culturel",
]


@pytest.mark.parametrize("query", EXAMPLES)
def test_french_plurals_accents_and_hyphens_are_found(client, content, query):
    article, other = content
    body = results_of(client, query)
    assert f'href="{article.url}"' in body, f"« {query} » does not find « {article.title} »"
    assert f'href="{other.url}"' not in body


@on_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("query", EXAMPLES)
def test_on_postgresql_the_accent_folding_french_configuration_finds_them(client, content, settings, query):
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "french_unaccent"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('french_unaccent', 'Coopération') @@ plainto_tsquery('french_unaccent', 'cooperation')"
        )
        assert cursor.fetchone()[0] is True
    article, _other = content
    assert f'href="{article.url}"' in results_of(client, query)


def test_excerpt_marks_the_words_found(client, content):
    body = results_of(client, "cooperation")
    assert "<mark>coopération</mark>" in body
    body = results_of(client, "tiers-lieu")
    assert "<mark>Tiers</mark>-<mark>lieux</mark>" not in body  # titles stay plain links
    assert 'class="search-result__excerpt"' in body


def test_excerpt_escapes_what_editors_typed(home_page, client):
    ContentPageFactory(parent=home_page, title="Atelier", introduction="<script>alert(1)</script> atelier vélo")
    body = results_of(client, "atelier")
    assert "<script>alert(1)</script>" not in body


def test_results_are_grouped_upcoming_events_first(client, home_page):
    page = ContentPageFactory(parent=home_page, title="Réparer ensemble", introduction="La réparation au quotidien.")
    past = make_event(
        home_page, title="Réparation de vélos (passé)", start=timezone.now() - timedelta(days=30), end=None
    )
    upcoming = make_event(home_page, title="Réparation de vélos", summary="Atelier de réparation entre voisins.")
    body = results_of(client, "réparation")
    positions = [body.index(label) for label in ("Événements à venir", "Pages", "Événements passés")]
    assert positions == sorted(positions)
    assert body.index(f'href="{upcoming.url}"') < body.index(f'href="{page.url}"') < body.index(f'href="{past.url}"')


def test_no_result_suggests_close_words_from_the_site(client, content, home_page):
    ContentPageFactory(parent=home_page, title="Coopérer aux Grésilles", introduction="Le pôle.")
    body = results_of(client, "instituions")
    assert "Aucune page ne correspond" in body
    assert "Vouliez-vous dire" in body
    assert 'href="/recherche/?q=institutions"' in body
    assert 'href="/plan-du-site/"' in body
    body = results_of(client, "cooperr")
    assert 'href="/recherche/?q=coop%C3%A9rer"' in body
    # Nothing close: no made-up suggestion, still the way out through the site plan.
    body = results_of(client, "zzzzzz")
    assert "Vouliez-vous dire" not in body and 'href="/plan-du-site/"' in body


def test_words_variants_and_query():
    assert words("Les tiers-lieux de l'agglomération") == ["tiers", "lieux", "agglomération"]
    assert "lieux" in variants("lieu") and "lieu" in variants("lieux")
    assert "réseau" in variants("réseaux") and "culturel" in variants("culturels")
    assert "travail" in variants("travaux") and "local" in variants("locaux")
    assert search_query("de la") is not None  # only small words: searched as typed
    assert search_query("   ") is None


def test_highlight_cuts_around_the_first_match():
    text = " ".join(["mot"] * 40) + " la coopération culturelle " + " ".join(["fin"] * 40)
    excerpt = highlight(text, "cooperation", length=20)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>coopération</mark>" in excerpt
    assert len(excerpt.split()) <= 24
