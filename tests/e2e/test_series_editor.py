"""An editor describes a weekly series with exceptions, reads its dates in the draft, publishes; visitors
find the dates in the agenda and the month view."""

import re

import pytest
from playwright.sync_api import expect

from events.models import EventPage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, log_in_to_admin, put_agenda_in_menu
from tests.e2e.test_editor import fill_date_time
from tests.events.factories import make_agenda

pytestmark = pytest.mark.e2e

TITLE = "Atelier tricot du mardi"


@pytest.fixture
def agenda(demo_site, fast_forms):
    agenda = make_agenda(demo_site.root_page.specific)
    put_agenda_in_menu(demo_site, agenda)
    return agenda


def test_editor_creates_a_weekly_series_with_exceptions(page, agenda, editor_password):
    log_in_to_admin(page, *editor_password)
    page.goto(f"/admin/pages/add/events/eventpage/{agenda.pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Chaque mardi, on tricote et on papote à La Coursive.")

    repetition = page.locator("section", has=page.get_by_role("heading", name="Répétition"))
    expect(repetition.first).to_be_hidden()  # only for a series
    page.locator("#id_schedule").select_option("series")
    expect(repetition.first).to_be_visible()
    expect(page.locator("#id_start")).to_be_hidden()  # a series' dates come from its rule

    page.get_by_label("mardi", exact=True).check()
    fill_date_time(page, "#id_repeat_from", "2099-10-06")
    fill_date_time(page, "#id_repeat_until", "2099-11-24")
    fill_date_time(page, "#id_repeat_start_time", "14:00")
    fill_date_time(page, "#id_repeat_end_time", "17:00")
    page.get_by_label("hors vacances scolaires (zone A)").check()
    page.locator("#id_repeat_skip_dates").fill("17/11/2099")

    page.get_by_role("button", name=re.compile("^Enregistrer le brouillon", re.I)).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))

    dates = page.locator(".rule-dates")
    expect(dates).to_contain_text("5 dates programmées")
    expect(dates).to_contain_text("3 dates retirées")
    expect(dates.get_by_role("row", name=re.compile("mardi 20 octobre 2099.*vacances de la Toussaint"))).to_be_visible()
    expect(dates.get_by_role("row", name=re.compile("mardi 17 novembre 2099.*retirée par l.équipe"))).to_be_visible()

    page.get_by_role("button", name=re.compile("Plus d.actions", re.I)).click()
    page.get_by_role("button", name=re.compile("^Publier", re.I)).click()
    # The explorer of the agenda, not the edit page we are on (which the unanchored pattern matched at once).
    # Publishing writes the series' dates and purges the agenda's pages: on a loaded machine this
    # has outlasted the default 10 s (one CI run), so the wait is longer here.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"), timeout=3 * DEFAULT_TIMEOUT_MS)
    series = EventPage.objects.get(title=TITLE)
    assert series.live and series.occurrences.count() == 5

    page.goto(agenda.url + "mois/2099/10/")
    grid = page.locator("table.month")
    expect(grid.get_by_role("link", name=re.compile(TITLE))).to_have_count(2)  # 6 and 13 October
    page.goto(agenda.url + "mois/2099/11/")
    expect(page.locator("table.month").get_by_role("link", name=re.compile(TITLE))).to_have_count(3)

    page.goto(agenda.url + "?mois=2099-11")
    card = page.locator(".event-card", has_text=TITLE)
    # Filtered by month, a series' card shows its first date of that month, and how many come after it.
    expect(card).to_contain_text("mardi 3 novembre 2099")
    expect(card).to_contain_text("et 2 autres dates")
    card.get_by_role("link", name=TITLE).click()
    expect(page.locator(".event__dates")).to_contain_text(
        "Tous les mardis, de 14\u00a0h à 17\u00a0h, du 6 octobre au 24 novembre 2099, hors vacances scolaires"
    )
    expect(page.locator("#prochaines-dates + ul li")).to_have_count(5)
