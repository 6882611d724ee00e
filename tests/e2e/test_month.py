"""The agenda's month view in a real browser: readable from 320 px, accessible, usable by keyboard alone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, focused_element_style, has_horizontal_scroll

WIDTHS = {
    "320": {"width": 320, "height": 568},
    "390": {"width": 390, "height": 844},
    "1280": {"width": 1280, "height": 800},
}


def month_path(workshop):
    start = timezone.localtime(workshop.start)
    return f"/agenda/mois/{start.year}/{start.month}/"


@pytest.mark.parametrize("width", WIDTHS)
def test_month_view_fits_the_screen_and_has_no_axe_violation(page, workshop, axe_source, width):
    page.set_viewport_size(WIDTHS[width])
    page.goto(month_path(workshop))
    expect(page.locator("table.month caption")).to_be_visible()
    link = page.locator("table.month").get_by_role("link", name=workshop.title)
    expect(link).to_be_visible()
    assert not has_horizontal_scroll(page), f"the month view scrolls sideways at {width} px"
    assert_accessible(page, axe_source, f"month view at {width} px")


def test_a_visitor_finds_a_date_in_the_month_view_by_keyboard(page, workshop):
    page.goto("/agenda/")
    views = page.get_by_role("navigation", name="Affichage de l’agenda")
    views.get_by_role("link", name="Vue mois").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/agenda/mois/\d{4}/\d{1,2}/$"))

    if page.url.rstrip("/").split("/")[-1] != str(timezone.localtime(workshop.start).month):
        # The workshop is ten days ahead: it may be next month. Go there the way a keyboard user would.
        page.get_by_role("link", name=re.compile("Mois suivant")).focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(month_path(workshop)) + "$"))

    # Tab from the top of the page until the workshop's link in the grid has the focus.
    page.locator("body").focus()
    target = f"/agenda/{workshop.slug}/"
    for _ in range(80):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith(target) and page.evaluate("!!document.activeElement.closest('table.month')"):
            break
    else:
        pytest.fail("the workshop's link in the month grid cannot be reached with Tab")
    assert focused_element_style(page)["visible"], "the focused link of the grid shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(workshop.title)
