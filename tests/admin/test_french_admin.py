"""The admin the team uses speaks French: no English word of a known list on the pages they open."""

import html as html_lib
import os
import re

import pytest
from django.core.management import call_command
from django.test import Client

from events.models import EventIndexPage, EventPage
from home.models import ArticlePage, ContentPage, HomePage

# Words Wagtail or Django left in English before (login labels, breadcrumbs, stock groups, booleans, help texts).
ENGLISH = ["Password", "Username", "Root", "Moderators", "Editors", "True", "False", "e.g", "Sign in", "Dashboard"]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")


def visible_text(response):
    """What a person reads: the page without scripts, styles, tags and attribute values."""
    text = response.content.decode()
    text = re.sub(r"<(script|style|template)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return html_lib.unescape(text)


def english_words(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return sorted(set(ENGLISH_RE.findall(visible_text(response))))


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # ensure_dev_admin refuses outside development
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
        call_command("ensure_dev_admin", stdout=devnull)
    settings.DEBUG = False


def logged_in(username):
    client = Client()
    assert client.login(username=username, password=f"coursive-{username}")
    return client


def editor_urls():
    home = HomePage.objects.get()
    event = EventPage.objects.live().order_by("start").first()
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{EventIndexPage.objects.get().pk}/",
        f"/admin/pages/{event.pk}/edit/",
        f"/admin/pages/{ArticlePage.objects.first().pk}/edit/",
        f"/admin/pages/{ContentPage.objects.first().pk}/edit/",
        f"/admin/pages/add/events/eventpage/{EventIndexPage.objects.get().pk}/",
        "/admin/snippets/events/venue/",
        "/admin/snippets/events/venue/add/",
        "/admin/snippets/events/eventcategory/add/",
        "/admin/snippets/home/partner/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/account/",
    ]


def test_login_page_is_french_and_the_associations(db):
    assert english_words(Client(), "/admin/login/") == []
    page = visible_text(Client().get("/admin/login/"))
    assert "Espace de gestion de La Coursive Boutaric" in page
    assert "Mot de passe" in page and "Identifiant" in page


def test_pages_an_editor_opens_are_french(demo):
    client = logged_in("redaction")
    found = {url: words for url in editor_urls() if (words := english_words(client, url))}
    assert found == {}, found


def test_pages_registration_staff_open_are_french(demo):
    client = logged_in("gestion")
    event = EventPage.objects.filter(registrations__isnull=False).distinct().first()
    urls = [
        "/admin/",
        "/admin/inscriptions/",
        f"/admin/inscriptions/evenement/{event.pk}/",
        f"/admin/inscriptions/evenement/{event.pk}/pointage/",
        f"/admin/inscriptions/evenement/{event.pk}/ajouter/",
        "/admin/inscriptions-rapports/",
    ]
    found = {url: words for url in urls if (words := english_words(client, url))}
    assert found == {}, found


def test_the_check_finds_english_words():
    """Guards against a vacuous pass: the pattern does catch the words in running text."""
    assert ENGLISH_RE.findall("Mot de passe · Password · Root › Accueil · True") == ["Password", "Root", "True"]


def test_redaction_publishes_without_a_superuser_and_review_is_off(demo):
    """The stock "Moderators approval" workflow no longer stands between the team and publishing."""
    from wagtail.models import Workflow

    client = logged_in("redaction")
    event = EventPage.objects.live().order_by("start").first()
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "Publier" in edit and "Soumettre" not in edit
    review = Workflow.objects.get(name="Relecture")
    assert review.active and not review.workflow_pages.exists()
    assert [task.name for task in review.tasks] == ["Relecture par la rédaction"]
    assert not Workflow.objects.filter(name="Moderators approval").exists()
