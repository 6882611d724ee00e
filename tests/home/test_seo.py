"""Robots, sitemap, meta description and Open Graph tags."""

import pytest

from tests.home.factories import ContentPageFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_live_pages_only(client, home_page):
    page = ContentPageFactory(parent=home_page, slug="le-projet")
    draft = ContentPageFactory(parent=home_page, slug="brouillon", live=False)

    body = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://localhost/le-projet/</loc>" in body
    assert "<loc>http://localhost/</loc>" in body
    assert draft.slug not in body
    assert page.title not in body  # only URLs, not titles


def test_promote_tab_feeds_description_and_open_graph(client, home_page):
    page = ContentPageFactory(
        parent=home_page,
        title="Le lieu",
        slug="le-lieu",
        seo_title="Un lieu ouvert aux Grésilles",
        search_description="500 m² pour travailler et se rencontrer.",
        image=ImageFactory(),
    )

    body = client.get(page.url).content.decode()

    assert "<title>Un lieu ouvert aux Grésilles — La Coursive Boutaric</title>" in body
    assert '<meta name="description" content="500 m² pour travailler et se rencontrer.">' in body
    assert '<meta property="og:title" content="Un lieu ouvert aux Grésilles">' in body
    assert '<meta property="og:description" content="500 m² pour travailler et se rencontrer.">' in body
    assert '<meta property="og:url" content="http://localhost/le-lieu/">' in body
    assert '<meta property="og:type" content="website">' in body
    assert '<meta property="og:image" content="http://testserver/media/images/' in body
    assert ".fill-1200x630" in body


def test_description_falls_back_to_the_introduction(client, home_page):
    page = ContentPageFactory(parent=home_page, introduction="Le chapeau de la page.")
    assert '<meta name="description" content="Le chapeau de la page.">' in client.get(page.url).content.decode()


def test_404_page_is_french_and_helpful(client, home_page):
    response = client.get("/page-qui-n-existe-pas/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body
    assert '<html lang="fr">' in body
    assert body.count("<h1") == 1


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "Un problème est survenu" in body
    assert '<html lang="fr">' in body
