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
# Wagtail's French that guesses the gender: « Ajouter un(e) lieu ».
UNSURE_ARTICLES = ["un(e)", "Aucun(e)"]
ENGLISH_RE = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b|(" + "|".join(map(re.escape, UNSURE_ARTICLES)) + ")"
)


def visible_text(response):
    """What a person reads: the page without scripts, styles, tags and attribute values."""
    text = response.content.decode()
    text = re.sub(r"<(script|style|template)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return html_lib.unescape(text)


def english_words(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return sorted({"".join(match) for match in ENGLISH_RE.findall(visible_text(response))})


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
        "/admin/snippets/events/eventcategory/",
        "/admin/snippets/events/eventcategory/add/",
        "/admin/snippets/home/partner/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/account/",
        "/admin/agenda/evenements/",
        "/admin/guide-de-la-redaction/",
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
    found = [
        "".join(match) for match in ENGLISH_RE.findall("Mot de passe · Password · Root › True · Ajouter un(e) lieu")
    ]
    assert found == ["Password", "Root", "True", "un(e)"]


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


def test_the_agenda_menu_lists_events_with_their_seats(demo):
    """Agenda → Événements: every event, its date, seats and requests; « Ajouter un événement » goes to its form."""
    client = logged_in("redaction")
    page = client.get("/admin/agenda/evenements/")
    assert page.status_code == 200
    text = visible_text(page)
    workshop = EventPage.objects.filter(registrations__isnull=False).distinct().first()
    assert workshop.title in text
    confirmed = workshop.registrations.filter(status="confirmed").count()
    assert f"{confirmed} / {workshop.capacity}" in text
    assert "Ajouter un événement" in text
    add = client.get("/admin/agenda/evenements/choose_parent/", follow=True)
    assert add.redirect_chain and add.redirect_chain[-1][0].startswith("/admin/pages/add/events/eventpage/")
    menu = client.get("/admin/").content.decode()
    assert "/admin/agenda/evenements/" in menu


def test_the_dashboard_shows_the_next_events_with_seats_and_requests(demo):
    client = logged_in("gestion")
    text = visible_text(client.get("/admin/"))
    assert "Prochains événements" in text
    pending = EventPage.objects.filter(registrations__status="pending").distinct().first()
    count = pending.registrations.filter(status="pending").count()
    start = text.index("Prochains événements")
    assert pending.title in text[start:]
    assert f"{count} à valider" in text[start:]


def test_the_editors_guide_is_in_the_menu_and_explains_what_publishing_sends(demo):
    client = logged_in("redaction")
    assert "/admin/guide-de-la-redaction/" in client.get("/admin/").content.decode()
    text = visible_text(client.get("/admin/guide-de-la-redaction/"))
    assert "Ce que la publication envoie aux personnes inscrites" in text
    assert "Ajouter un événement" in text
    assert "Rien n'est enregistré tant que vous n'avez pas cliqué" in text  # no autosave (config/settings/base.py)


def test_with_relecture_on_a_draft_is_submitted_then_approved_by_another_member(demo, django_user_model):
    """Switched on for the news, « Relecture » sends a volunteer's draft to Rédaction, whose member publishes it."""
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from wagtail.models import Workflow, WorkflowPage

    from home.models import NewsIndexPage

    review = Workflow.objects.get(name="Relecture")
    WorkflowPage.objects.create(workflow=review, page=NewsIndexPage.objects.get())
    article = ArticlePage.objects.live().first()
    writer = logged_in("redaction")
    edit = visible_text(writer.get(f"/admin/pages/{article.pk}/edit/"))
    assert "Soumettre à Relecture" in edit

    draft = article.get_latest_revision_as_object()
    draft.title = "Un article relu avant publication"
    revision = draft.save_revision(user=django_user_model.objects.get(username="redaction"))
    state = review.start(ArticlePage.objects.get(pk=article.pk), django_user_model.objects.get(username="redaction"))
    task_state = state.current_task_state

    colleague = django_user_model.objects.create_user("relectrice", password="coursive-relectrice")
    colleague.groups.add(Group.objects.get(name="Rédaction"))
    reviewer = logged_in("relectrice")
    assert "Un article relu avant publication" in visible_text(reviewer.get("/admin/"))  # awaiting her review
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk])
    assert reviewer.post(url, {"comment": ""}).status_code in (200, 302)

    article.refresh_from_db()
    assert article.live and article.title == "Un article relu avant publication"
    assert article.live_revision_id == revision.pk
