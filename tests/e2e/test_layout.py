"""Layout at phone and desktop widths: no sideways scroll, no text out of its card, the menu
button, and the registration action of an event within the first two phone screens.

Each check fails on the defect it names (issue 15): the navigation taking 300 px of a phone,
"S'inscrire" 2,300 px down, "Administratrice" running past its card at 1280 px.
"""

import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, has_horizontal_scroll

pytestmark = pytest.mark.e2e

WIDTHS = {
    "320": {"width": 320, "height": 568},
    "390": {"width": 390, "height": 844},
    "1280": {"width": 1280, "height": 800},
}
PHONES = [WIDTHS["320"], WIDTHS["390"]]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Elements drawn as boxes: everything inside must stay inside (left, right) by more than a pixel.
_TEXT_OUTSIDE_ITS_CARD = """
() => {
  const boxes = document.querySelectorAll(['.card', '.event-card article', '.person', '.figure', '.objective',
    '.partner-card', '.registration-box', '.event__practical', '.event-facts'].join(', '));
  const out = [];
  for (const box of boxes) {
    const outer = box.getBoundingClientRect();
    for (const el of box.querySelectorAll('*')) {
      if (!el.getClientRects().length || getComputedStyle(el).position === 'absolute') continue;
      const r = el.getBoundingClientRect();
      const clipped = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
      if (r.width && (r.right > outer.right + 1 || r.left < outer.left - 1 || clipped)) {
        out.push(box.className + ' > ' + el.tagName.toLowerCase() + ': ' + (el.innerText || '').trim().slice(0, 40));
      }
    }
  }
  return out;
}
"""


def public_paths(workshop):
    from home.models import ContentPage, MemberIndexPage, PartnerIndexPage

    governance = ContentPage.objects.live().filter(slug="gouvernance").first()
    return [
        "/",
        "/agenda/",
        workshop.url,
        f"/inscription/{workshop.pk}/",
        ContentPage.objects.live().filter(image__isnull=False).first().url,
        governance.url if governance else "/",
        MemberIndexPage.objects.live().first().url,
        PartnerIndexPage.objects.live().first().url,
        "/contact/",
        "/plan-du-site/",
        "/recherche/?q=atelier",
        "/page-qui-n-existe-pas/",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scroll_and_no_text_out_of_its_card(page, workshop, width):
    page.set_viewport_size(WIDTHS[width])
    for path in public_paths(workshop):
        page.goto(path)
        assert not has_horizontal_scroll(page), f"{path} scrolls sideways at {width} px"
        outside = page.evaluate(_TEXT_OUTSIDE_ITS_CARD)
        assert not outside, f"{path} at {width} px: text out of its card: {outside[:5]}"


@pytest.mark.parametrize("size", PHONES, ids=["320", "390"])
def test_registration_action_is_within_two_phone_screens(page, workshop, size):
    """The longest demo title (Ocim's workshop) and the test workshop alike."""
    from events.models import EventPage

    page.set_viewport_size(size)
    ocim = EventPage.objects.live().get(slug="atelier-tiers-lieux-et-institutions-culturelles")
    for event in (workshop, ocim):
        page.goto(event.url)
        button = page.get_by_role("link", name=re.compile("^S'inscrire"))
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= 2 * size["height"], (
            f"{event.url}: « S'inscrire » ends at {box['y'] + box['height']:.0f} px, "
            f"below two screens of {size['height']} px"
        )


def test_menu_is_a_disclosure_on_a_phone(page, demo_site, axe_source):
    page.set_viewport_size(WIDTHS["390"])
    page.goto("/")
    toggle = page.get_by_role("button", name="Menu")
    menu_link = page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_link).to_be_hidden()
    assert page.get_by_role("main").bounding_box()["y"] < 120, "the closed header stays short"
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    assert_accessible(page, axe_source, "menu ouvert")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    # Keyboard: Enter on the focused button opens it again.
    page.keyboard.press("Enter")
    expect(menu_link).to_be_visible()


def test_without_javascript_the_menu_is_a_plain_list(browser, live_server, demo_site):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=WIDTHS["320"])
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator(".menu-toggle")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda")).to_be_visible()
        assert not has_horizontal_scroll(page)
    finally:
        context.close()


def test_desktop_shows_the_menu_without_a_button(page, demo_site):
    page.goto("/")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda")).to_be_visible()


def test_screenshot_set(page, workshop, axe_source, tmp_path):
    """Home, agenda, event, form, confirmation and 404 at phone and desktop width, each without axe violations.

    Written to a temporary folder; with UPDATE_SCREENSHOTS=1 saved to docs/screenshots/ (small PNGs).
    """
    shots = {
        "home": "/",
        "agenda": "/agenda/",
        "event": "/agenda/atelier-tiers-lieux-et-institutions-culturelles/",
        "form": f"/inscription/{workshop.pk}/",
        "404": "/page-qui-n-existe-pas/",
    }
    for label, size in (("phone", WIDTHS["390"]), ("desktop", WIDTHS["1280"])):
        page.set_viewport_size(size)
        for name, path in shots.items():
            page.goto(path)
            assert_accessible(page, axe_source, f"{name} ({label})")
            page.screenshot(path=str(tmp_path / f"{name}-{label}.png"), full_page=True)
        page.goto(f"/inscription/{workshop.pk}/")
        page.get_by_label(re.compile(r"^Prénom")).fill("Camille")
        page.get_by_label(re.compile(r"^Nom(\s|$)")).fill("Martin")
        page.get_by_label(re.compile(r"^Adresse e-mail")).fill(f"camille.{label}@example.org")
        page.get_by_role("group", name=re.compile("Venez-vous avec votre vélo")).get_by_label("Oui").check()
        consent = page.get_by_role("checkbox")
        for index in range(consent.count()):
            consent.nth(index).check()
        page.get_by_role("button", name="M'inscrire").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte mail")
        heading, header = (
            page.get_by_role("heading", level=1).bounding_box(),
            page.locator(".site-header").bounding_box(),
        )
        assert heading["y"] >= header["y"] + header["height"] + 16, "the title keeps its distance from the navigation"
        assert_accessible(page, axe_source, f"confirmation ({label})")
        page.screenshot(path=str(tmp_path / f"confirmation-{label}.png"), full_page=True)
    assert len(list(tmp_path.glob("*.png"))) == 12
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        for shot in tmp_path.glob("*.png"):
            # A 128-colour palette keeps the committed set small and still readable.
            Image.open(shot).convert("RGB").quantize(colors=128).save(SCREENSHOTS / shot.name, optimize=True)
