"""Each page type renders its content for visitors."""

import datetime

import pytest
from django.utils import timezone
from wagtail.rich_text import RichText

from home.models import HomePage
from tests.events.factories import EventIndexPageFactory, EventPageFactory, paris
from tests.home.factories import (
    ArticlePageFactory,
    ContentPageFactory,
    ImageFactory,
    MemberIndexPageFactory,
    MemberPageFactory,
    NewsIndexPageFactory,
    PartnerFactory,
    PartnerIndexPageFactory,
)

pytestmark = pytest.mark.django_db


def html(client, page_or_url):
    url = page_or_url if isinstance(page_or_url, str) else page_or_url.url
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_page_shows_hero_objectives_figures_news_and_partners(client, home_page):
    home_page.tagline = "Tiers-lieu aux Grésilles"
    home_page.hero_image = ImageFactory()
    home_page.objectives = [("objective", {"title": "Coopérer entre structures", "text": "Mutualiser."})]
    home_page.key_figures = [("figure", {"figure": "500 m²", "label": "de lieu ouvert"})]
    home_page.save()
    news = NewsIndexPageFactory(parent=home_page)
    ArticlePageFactory(parent=news, title="Nouvelle récente")
    PartnerFactory(name="Ville de Dijon")

    body = html(client, "/")

    assert "Tiers-lieu aux Grésilles" in body
    assert "Coopérer entre structures" in body
    assert "500 m²" in body and "de lieu ouvert" in body
    assert "Nouvelle récente" in body
    assert 'alt="Ville de Dijon"' in body
    assert "<picture>" in body and "image/avif" in body and "image/webp" in body
    assert body.count("<h1") == 1


def test_home_page_lists_the_next_three_upcoming_events_in_order(client, home_page):
    agenda = EventIndexPageFactory(parent=home_page)
    now = timezone.now()
    for title, days in [("Passé", -2), ("Quatrième", 40), ("Premier", 1), ("Troisième", 20), ("Deuxième", 10)]:
        EventPageFactory(parent=agenda, title=title, start=now + datetime.timedelta(days=days), end=None)

    body = html(client, "/")

    assert "Passé" not in body and "Quatrième" not in body
    assert body.index("Premier") < body.index("Deuxième") < body.index("Troisième")
    assert f'href="{agenda.url}"' in body


def test_home_page_keeps_an_exhibition_that_is_still_on(client, home_page):
    """Started last week, ends next week: visitors can still go, so the home page shows it."""
    agenda = EventIndexPageFactory(parent=home_page)
    now = timezone.now()
    EventPageFactory(
        parent=agenda,
        title="Exposition en cours",
        start=now - datetime.timedelta(days=7),
        end=now + datetime.timedelta(days=7),
    )
    EventPageFactory(parent=agenda, title="Atelier terminé", start=now - datetime.timedelta(days=3), end=None)

    body = html(client, "/")

    assert "Exposition en cours" in body
    assert "Atelier terminé" not in body


def test_content_page_renders_every_block(client, home_page):
    page = ContentPageFactory(
        parent=home_page,
        title="Notre histoire",
        body=[
            ("heading", {"text": "Les grandes étapes"}),
            ("paragraph", RichText("<p>Depuis 2007.</p>")),
            ("captioned_image", {"image": ImageFactory(), "caption": "La façade", "credit": "Camille", "alt_text": ""}),
            ("quote", {"quote": "Coopérer, toujours.", "attribution": "Le bureau"}),
            (
                "call_to_action",
                {"title": "Venez", "text": "", "button_label": "Nous écrire", "page": home_page, "url": ""},
            ),
            ("key_figures", {"title": "", "figures": [{"figure": "15", "label": "structures membres"}]}),
            ("timeline", {"title": "", "entries": [{"period": "2010", "title": "Création", "text": "Le pôle naît."}]}),
            (
                "people",
                {
                    "title": "Conseil",
                    "people": [{"name": "Léa Daloz", "role": "Trésorière", "organisation": "CIBFC", "photo": None}],
                },
            ),
            ("accordion", {"title": "", "items": [{"question": "Ouvert à tous ?", "answer": RichText("<p>Oui.</p>")}]}),
        ],
    )

    body = html(client, page)

    for text in [
        "Les grandes étapes",
        "Depuis 2007.",
        "La façade",
        "© Camille",
        "Coopérer, toujours.",
        "Nous écrire",
        "structures membres",
        "Le pôle naît.",
        "Léa Daloz",
        "Trésorière",
        "<details",
        "Ouvert à tous ?",
    ]:
        assert text in body, text
    assert 'aria-label="Fil d\'Ariane"' in body


def test_article_page_shows_date_author_summary_and_labels(client, home_page):
    news = NewsIndexPageFactory(parent=home_page)
    article = ArticlePageFactory(
        parent=news,
        title="Un workshop",
        date=datetime.date(2024, 7, 3),
        author="Ocim",
        summary="Musées et tiers-lieux.",
        image=ImageFactory(),
        tag_names=["Coopérer"],
    )

    body = html(client, article)

    assert "3 juillet 2024" in body
    assert "par Ocim" in body
    assert "Musées et tiers-lieux." in body
    assert f'href="{news.url}libelle/cooperer/"' in body
    assert 'property="og:type" content="article"' in body


def test_partner_index_groups_partners_by_category(client, home_page):
    page = PartnerIndexPageFactory(parent=home_page)
    PartnerFactory(name="Ville de Dijon", category="funder")
    PartnerFactory(name="Movilab", category="network", website="https://movilab.org/")

    body = html(client, page)

    assert body.index(">Financeurs</h2>") < body.index("Ville de Dijon") < body.index(">Réseaux</h2>")
    assert body.index(">Réseaux</h2>") < body.index("Movilab")
    assert 'href="https://movilab.org/"' in body


def test_member_directory_and_member_page(client, home_page):
    index = MemberIndexPageFactory(parent=home_page)
    partner = PartnerFactory(name="Movilab")
    member = MemberPageFactory(
        parent=index,
        title="La Bo[a]te",
        city="Marseille",
        address="35 rue de la Paix",
        postcode="13001",
        maturity="mature",
        community="2 soutiens et 1 membre",
        questions=[("question", {"question": "Quel modèle économique ?", "answer": RichText("<p>Location.</p>")})],
    )
    member.partners = [partner]
    member.save()

    listing = html(client, index)
    assert "La Bo[a]te" in listing and "Marseille" in listing

    body = html(client, member)
    for text in ["35 rue de la Paix", "13001 Marseille", "Mature", "Quel modèle économique ?", "2 soutiens", "Movilab"]:
        assert text in body, text


def test_home_page_model_is_the_site_root(home_page):
    assert HomePage.objects.get().pk == home_page.pk


def test_home_event_cards_use_the_agenda_date_format(client, home_page):
    """Same French dates as the agenda ("jeudi 3 juillet 2099, 9 h 30 – 17 h"), with the cancelled badge."""
    agenda = EventIndexPageFactory(parent=home_page)
    EventPageFactory(parent=agenda, title="Atelier", start=paris(2099, 7, 3, 9, 30), end=paris(2099, 7, 3, 17))
    EventPageFactory(
        parent=agenda, title="Fête", start=paris(2099, 7, 4, 18), end=paris(2099, 7, 4, 22), status="cancelled"
    )

    body = html(client, home_page)

    assert "vendredi 3 juillet 2099, 9\u00a0h\u00a030\u00a0– 17\u00a0h" in body
    assert "09h30" not in body
    assert ">Annulé</p>" in body
