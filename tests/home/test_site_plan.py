"""The HTML site plan: what people reach from the footer, beside the XML sitemap for robots."""

import pytest
from wagtail.models import Page, PageViewRestriction

from events.models import EventPage
from home.models import ArticlePage

pytestmark = pytest.mark.django_db


def plan_of(client):
    """The plan itself, without the menu and footer that link to some of the same pages."""
    body = client.get("/plan-du-site/").content.decode()
    return body[body.index('class="site-plan"') : body.index("</main>")]


def test_footer_links_to_the_html_site_plan_not_to_raw_xml(client, demo_site):
    home = client.get("/").content.decode()
    assert 'href="/plan-du-site/"' in home
    assert "Plan du site (XML)" not in home


def test_site_plan_lists_sections_and_their_pages(client, demo_site):
    response = client.get("/plan-du-site/")
    assert response.status_code == 200
    assert "<h1>Plan du site</h1>" in response.content.decode()
    body = plan_of(client)
    for section in demo_site.root_page.get_children().live().public():
        assert f'href="{section.url}"' in body, section.title
    # Pages of ordinary sections are listed under them…
    member_index = Page.objects.get(slug="membres-et-projets")
    for member in member_index.get_children().live()[:3]:
        assert f'href="{member.url}"' in body, member.title
    # …dated pages are reached through their listing, not unrolled.
    assert EventPage.objects.live().exists() and ArticlePage.objects.live().exists()
    for dated in [*EventPage.objects.live(), *ArticlePage.objects.live()]:
        assert f'href="{dated.url}"' not in body, dated.title


def test_site_plan_leaves_out_private_pages(client, demo_site):
    section = demo_site.root_page.get_children().live().first()
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert f'href="{section.url}"' not in plan_of(client)
