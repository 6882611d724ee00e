"""Pages built from cached fragments show every publication at the next request (issue 18).

The home page's fixed sections, an event page's main column and its JSON-LD
organisers and picture are kept per generation (layout_cache, event_tags); the
seats, the upcoming events and the registration box are read on each request.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from events.models import EventPage, EventPartner
from home.models import SiteSettings
from registrations import services
from tests.home.factories import ArticlePageFactory, NewsIndexPageFactory, PartnerFactory
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def event(home_page):
    event = make_event(home_page, title="Atelier fragmenté", slug="atelier-fragmente", capacity=6)
    EventPartner.objects.create(page=event, partner=PartnerFactory(name="Réseau des tiers-lieux"), role="organiser")
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def test_a_published_change_of_an_event_shows_at_the_next_request(client, event):
    page_text(client, event.url)
    page_text(client, event.url)

    event.objectives = "<p>Apprendre à coopérer avec les musées.</p>"
    event.save_revision().publish()

    assert "Apprendre à coopérer avec les musées." in page_text(client, event.url)


def test_the_seats_are_fresh_while_the_main_column_is_kept(client, event):
    html = page_text(client, event.url)
    assert "6 places restantes" in html and '"remainingAttendeeCapacity": 6' in html

    services.register(event, **person(1))

    html = page_text(client, event.url)
    assert "5 places restantes" in html
    assert '"remainingAttendeeCapacity": 5' in html
    assert "Réseau des tiers-lieux" in html  # the kept JSON-LD organiser and the kept partners section


def test_a_renamed_partner_shows_in_the_json_ld_at_the_next_request(client, event):
    page_text(client, event.url)
    partner = event.event_partners.get().partner
    partner.name = "Réseau régional des tiers-lieux"
    partner.save()  # a snippet: it moves the generation

    html = page_text(client, event.url)
    jsonld = html[html.index("application/ld+json") :]
    assert "Réseau régional des tiers-lieux" in jsonld[: jsonld.index("</script>")]


def test_a_second_visit_of_the_event_page_reads_only_the_page_and_its_seats(client, event):
    page_text(client, event.url)
    with CaptureQueriesContext(connection) as queries:
        page_text(client, event.url)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "registrations_registration" in tables  # the seats, on every request
    assert "events_eventpartner" not in tables  # kept with the publication
    assert len(queries) <= 6


def test_a_new_article_shows_on_the_home_page_at_the_next_request(client, home_page):
    news = NewsIndexPageFactory(parent=home_page)
    page_text(client, "/")
    page_text(client, "/")

    article = ArticlePageFactory(parent=news, title="Une nouvelle saison aux Grésilles")
    article.save_revision().publish()

    assert "Une nouvelle saison aux Grésilles" in page_text(client, "/")


def test_a_new_upcoming_event_shows_on_the_home_page_while_its_sections_are_kept(client, home_page):
    page_text(client, "/")
    make_event(home_page, title="Atelier tout juste annoncé", slug="annonce")
    assert "Atelier tout juste annoncé" in page_text(client, "/")


def test_a_setting_saved_shows_in_the_kept_sections(client, home_page):
    page_text(client, "/")
    settings = SiteSettings.for_site(Site.objects.get())
    settings.footer_text = "Nouveaux horaires : du mardi au samedi."
    settings.save()
    assert "Nouveaux horaires : du mardi au samedi." in page_text(client, "/")


def test_a_kept_article_shows_its_edit_and_its_tags_at_the_next_request(client, home_page):
    news = NewsIndexPageFactory(parent=home_page)
    article = ArticlePageFactory(parent=news, title="Chantier participatif", tag_names=["chantier"])
    article.save_revision().publish()
    html = page_text(client, article.url)
    assert 'rel="tag">chantier</a>' in html and f'href="{news.url}"' in html
    with CaptureQueriesContext(connection) as queries:
        assert 'rel="tag">chantier</a>' in page_text(client, article.url)  # kept: its tags are not read again
    assert not [query for query in queries.captured_queries if "taggit" in query["sql"]]

    article.summary = "Nous refaisons la coursive ensemble, samedi."
    article.tags.add("quartier")
    article.save_revision().publish()

    html = page_text(client, article.url)
    assert "Nous refaisons la coursive ensemble, samedi." in html
    assert 'rel="tag">quartier</a>' in html
