"""The demo content: idempotent, and every public page is healthy."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import ArticlePage, HomePage, MemberPage, MenuItem, Partner, SiteSettings

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "images": get_image_model().objects.count(),
        "partners": Partner.objects.count(),
        "menu": MenuItem.objects.count(),
        "revisions": Page.objects.filter(latest_revision__isnull=False).count(),
    }


def test_load_demo_is_idempotent(demo_site):
    before = counts()
    call_command("load_demo")
    assert counts() == before
    assert isinstance(demo_site.root_page.specific, HomePage)
    assert before["images"] >= 10 and before["partners"] >= 8
    assert Site.objects.count() == 1
    assert not Page.objects.filter(depth=2).exclude(pk=demo_site.root_page_id).exists()


def test_demo_has_the_association_facts(client, demo_site):
    home = client.get("/").content.decode()
    for fact in ["15", "57", "3,7 M€", "400 m²", "500 m²", "Nos trois objectifs"]:
        assert fact in home, fact
    history = client.get("/le-projet/notre-histoire/").content.decode()
    for year in ["2003", "2007", "2 décembre 2010", "2014", "2017", "2019", "2020"]:
        assert year in history, year
    governance = client.get("/le-projet/gouvernance/").content.decode()
    assert "Léa Daloz" in governance and "Trésorière" in governance and "Trois collèges" in governance
    assert MemberPage.objects.get(slug="la-boate").city == "Marseille"
    assert ArticlePage.objects.filter(tags__name="Coopérer").count() >= 3
    privacy = client.get("/politique-de-confidentialite/").content.decode()
    assert "180 jours" in privacy and "consentement" in privacy
    accessibility = client.get("/accessibilite/").content.decode()
    for fact in ["novembre 2026", "axe-core", "WCAG 2.1", "clavier", "lecteurs d'écran", "Défenseur des droits"]:
        assert fact in accessibility, fact
    assert "non conforme" in accessibility and "contact@lacoursiveboutaric.fr" in accessibility
    site_settings = SiteSettings.for_site(demo_site)
    assert site_settings.legal_page.title == "Mentions légales"
    menu = list(site_settings.menu_items.values_list("link_page__slug", flat=True))
    assert menu[:3] == ["le-projet", "agenda", "actualites"]  # the agenda comes second once the events demo ran


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if tag in ("a", "img", "link") and attrs.get(name):
                self.urls.add(attrs[name])
        if tag == "source" and attrs.get("srcset"):
            self.urls.update(part.strip().split(" ")[0] for part in attrs["srcset"].split(","))
        if tag == "img" and attrs.get("srcset"):
            self.urls.update(part.strip().split(" ")[0] for part in attrs["srcset"].split(","))


def internal(url):
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel") or (parts.netloc and parts.netloc not in ("localhost", "testserver")):
        return None
    if not parts.path or url.startswith("#"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_sitemap_page_is_healthy_with_no_broken_internal_links(client, demo_site, settings):
    settings.MEDIA_URL = "/media/"
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    public_pages = Page.objects.live().public().filter(depth__gt=1).count()
    assert len(locations) >= public_pages >= 19  # plus routes such as the agenda archive

    checked = {}
    media_root = settings.MEDIA_ROOT

    for path in locations:
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200, path
        assert '<html lang="fr">' in body, path
        assert len(re.findall(r"<h1[\s>]", body)) == 1, path
        collector = LinkCollector()
        collector.feed(body)
        for url in collector.urls:
            target = internal(url)
            if target is None or target in checked:
                continue
            if target.startswith("/media/"):
                checked[target] = (media_root / target.removeprefix("/media/")).exists()
            elif target.startswith("/static/"):
                checked[target] = True  # served by WhiteNoise, checked below
            else:
                checked[target] = client.get(target).status_code in (200, 301, 302)
    assert len(checked) > 30
    broken = [url for url, ok in checked.items() if not ok]
    assert broken == []
    assert any(url.startswith("/media/images/") for url in checked)
    assert client.get("/static/css/site.css").status_code == 200
