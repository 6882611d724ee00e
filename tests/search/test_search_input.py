"""The site search takes words: hostile or odd queries get a page, never a server error."""

import pytest

from tests.home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(home_page):
    return ContentPageFactory(parent=home_page, title="Un lieu ouvert", introduction="Au 33 place Galilée.")


@pytest.mark.parametrize(
    "query",
    [
        '"',  # SQLite's full-text syntax: an unterminated string was a 500
        'Galilée"',
        'a"b*(c',
        "(",
        ")))",
        "*",
        "NEAR(a b)",
        "AND OR NOT",
        "-",
        "'",
        "^",
        "\\",
        "Galilée " * 500,
        "é" * 100_000,
        "\u202eGalilée\u200b",
    ],
)
def test_odd_queries_answer_a_page(client, place, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


def test_words_are_still_found_through_punctuation_and_hidden_characters(client, place):
    for query in ('"Galilée"', "Galilée ?!", "Gali\u200blée", "(Galilée)"):
        body = client.get("/recherche/", {"q": query}).content.decode()
        assert f'href="{place.url}"' in body, query
