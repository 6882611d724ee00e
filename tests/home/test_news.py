"""News listing: pagination, label filter and RSS feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from tests.home.factories import ArticlePageFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(home_page):
    index = NewsIndexPageFactory(parent=home_page, per_page=2)
    for n in range(5):
        ArticlePageFactory(
            parent=index, title=f"Article numéro {n}", tag_names=["Coopérer"] if n % 2 == 0 else ["Lieu"]
        )
    return index


def test_listing_is_paginated_newest_first(client, news):
    first = client.get(news.url).content.decode()
    assert "Article numéro 4" in first and "Article numéro 3" in first
    assert "Article numéro 2" not in first
    assert first.index("Article numéro 4") < first.index("Article numéro 3")
    assert 'href="?page=2"' in first

    third = client.get(news.url + "?page=3").content.decode()
    assert "Article numéro 0" in third and "Article numéro 4" not in third


def test_out_of_range_page_shows_the_last_page(client, news):
    response = client.get(news.url + "?page=99")
    assert response.status_code == 200
    assert "Article numéro 0" in response.content.decode()


def test_label_filter_keeps_only_tagged_articles(client, news):
    response = client.get(news.url + "libelle/cooperer/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Article numéro 4" in body and "Article numéro 2" in body
    assert "Article numéro 3" not in body
    assert 'aria-current="page">Coopérer' in body


def test_unknown_label_is_a_404(client, news):
    assert client.get(news.url + "libelle/inconnu/").status_code == 404


def test_rss_feed_lists_articles_and_is_advertised(client, news):
    listing = client.get(news.url).content.decode()
    assert (
        f'type="application/rss+xml" title="Actualités de La Coursive Boutaric (RSS)" href="{news.url}flux/">'
        in listing
    )

    response = client.get(news.url + "flux/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    items = channel.findall("item")
    assert [item.findtext("title") for item in items][:2] == ["Article numéro 4", "Article numéro 3"]
    assert items[0].findtext("link").endswith("/actualites/article-numero-4/")
    assert "Coopérer" in [c.text for c in items[0].findall("category")]


def test_label_query_parameter_redirects_to_the_label_address(client, news):
    response = client.get(news.url, {"libelle": "Coopérer"})
    assert response.status_code == 302
    assert response["Location"] == news.url + "libelle/cooperer/"


def test_article_dates_are_written_the_french_way(client, home_page):
    """ "1er juillet 2025" on the listing and the article, like the agenda writes dates."""
    index = NewsIndexPageFactory(parent=home_page)
    first = ArticlePageFactory(parent=index, title="Premier", date=datetime.date(2025, 7, 1))
    ArticlePageFactory(parent=index, title="Troisième", date=datetime.date(2025, 7, 3))

    listing = client.get(index.url).content.decode()
    assert '<time datetime="2025-07-01">1er juillet 2025</time>' in listing
    assert '<time datetime="2025-07-03">3 juillet 2025</time>' in listing
    assert '<time datetime="2025-07-01">1er juillet 2025</time>' in client.get(first.url).content.decode()


@pytest.mark.parametrize("label", ["!!!", "\u202e", "\u200b", "   ", "%", "…"])
def test_a_label_with_no_letters_shows_the_whole_listing(client, news, label):
    """It used to build a label address with an empty name: a 500 for anyone."""
    response = client.get(news.url, {"libelle": label})
    assert response.status_code == 200
    assert "Article numéro 4" in response.content.decode()


def test_a_huge_label_is_a_404_not_an_error(client, news):
    response = client.get(news.url, {"libelle": "x" * 100_000}, follow=True)
    assert response.status_code == 404


def test_feed_survives_control_characters_typed_before_the_forms_cleaned_them(client, news):
    """XML forbids them: one in an old title, author or summary made the whole feed a 500."""
    article = news.get_children().specific().first()
    type(article).objects.filter(pk=article.pk).update(
        title="Titre\x01 piégé\u202e", author="Zoé\x1b", summary="Résumé\x0bsur deux lignes\x02"
    )
    response = client.get(news.url + "flux/")
    assert response.status_code == 200
    items = ET.fromstring(response.content).find("channel").findall("item")  # noqa: S314 (our own feed)
    titles = [item.findtext("title") for item in items]
    assert "Titre piégé" in titles
    assert "Résumé\nsur deux lignes" in [item.findtext("description") for item in items]
