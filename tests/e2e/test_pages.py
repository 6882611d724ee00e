"""Public pages in a real browser: they render, pass axe-core's WCAG 2.1 AA rules and fit a phone.

Pages are found through the models rather than by slug, so that renamed demo
pages do not break the suite; a page type missing from the demo content fails.
"""

import pytest
from django.apps import apps
from django.urls import resolve

from tests.e2e.helpers import MOBILE, assert_accessible, has_horizontal_scroll, save_screenshots

pytestmark = pytest.mark.e2e


def live_page_url(model_label, **filters):
    model = apps.get_model(model_label)
    page = model.objects.live().public().filter(**filters).order_by("path").first()
    assert page is not None, f"the demo content has no live {model_label} matching {filters}"
    return page.url


def search_url():
    assert resolve("/recherche/").url_name == "search", "the site search answers at /recherche/"
    return "/recherche/?q=atelier"


PAGES = {
    "accueil": lambda: "/",
    # With an image: the project page's blocks rather than a legal page's plain text.
    "page-de-contenu": lambda: live_page_url("home.ContentPage", image__isnull=False),
    "actualites": lambda: live_page_url("home.NewsIndexPage"),
    "article": lambda: live_page_url("home.ArticlePage"),
    "agenda": lambda: live_page_url("events.EventIndexPage"),
    "evenement": lambda: live_page_url("events.EventPage", slug="atelier-reparation-velos"),
    "partenaires": lambda: live_page_url("home.PartnerIndexPage"),
    "contact": lambda: live_page_url("home.ContactPage"),
    "recherche": search_url,
    "declaration-accessibilite": lambda: live_page_url("home.ContentPage", slug__icontains="accessibilite"),
    "annuaire": lambda: live_page_url("home.MemberIndexPage"),
    "membre": lambda: live_page_url("home.MemberPage"),
    "plan-du-site": lambda: "/plan-du-site/",
}


@pytest.mark.parametrize("name", PAGES)
def test_public_page_is_accessible_and_fits_a_phone(page, workshop, axe_source, name):
    """``workshop`` adds an open event with its registration box to the demo agenda."""
    url = PAGES[name]()
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert page.title().count("La Coursive Boutaric") == 1, f"the site is named once: {page.title()}"
    assert page.locator("h1").count() == 1, "one h1 per page"
    assert page.get_by_role("main").is_visible()
    assert_accessible(page, axe_source, f"{name} ({url})")
    save_screenshots(page, name)
    page.set_viewport_size(MOBILE)
    assert not has_horizontal_scroll(page), f"{url} scrolls sideways at 390 px"


def test_skip_link_is_first_focus_and_visible(page, demo_site):
    """The first Tab reaches "Aller au contenu", visibly, and Enter moves focus into the main content."""
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link must come on screen when focused"
    style = skip.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
