"""A member of « Rédaction » (not a superuser) creates a workshop with seats, a question and a partner, publishes it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventPage
from home.models import Partner
from tests.e2e.conftest import log_in_to_admin, put_agenda_in_menu
from tests.events.factories import make_agenda

pytestmark = pytest.mark.e2e

TITLE = "Atelier fresque participative"


@pytest.fixture
def agenda(demo_site, fast_forms):
    agenda = make_agenda(demo_site.root_page.specific)
    put_agenda_in_menu(demo_site, agenda)
    return agenda


@pytest.fixture
def partner(demo_site):
    """A demo partner with a logo: the event page shows it as an image named by its alt text."""
    partner = Partner.objects.exclude(logo=None).order_by("pk").first()
    assert partner is not None, "the demo content has no partner with a logo"
    return partner


def fill_date_time(page, selector, value):
    """Type a date-time as an editor does, then close Wagtail's date picker.

    The picker opens about 100 ms after the field gets focus, on a timer: closing it
    before it has opened leaves it to pop up later over the fields below. So wait
    for it to open, then click elsewhere, then wait for it to be gone.
    """
    page.locator(selector).fill(value)
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    expect(pickers.first).to_be_visible()
    page.locator("#id_title").click()
    expect(pickers).to_have_count(0)


def test_editor_creates_and_publishes_a_workshop(page, agenda, partner, editor_password):
    log_in_to_admin(page, *editor_password)
    # Agenda → Événements → « Ajouter un événement » lands straight in the event form.
    page.get_by_role("button", name="Agenda").click()
    page.get_by_role("link", name="Événements", exact=True).click()
    page.get_by_role("link", name="Ajouter un événement").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/events/eventpage/"))

    start = timezone.localtime() + timedelta(days=21)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Peindre ensemble un mur du quartier avec une artiste des Grésilles.")
    fill_date_time(page, "#id_start", start.strftime("%Y-%m-%d 14:00"))
    fill_date_time(page, "#id_end", start.strftime("%Y-%m-%d 17:00"))

    page.get_by_role("button", name="Ajouter : partenaire").click()
    # Wagtail 7.4 leaves "Choose" untranslated in snippet choosers.
    page.get_by_role("button", name=re.compile("^(Choose|Choisir).*partenaire", re.I)).first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name=partner.name).first.click()
    expect(dialog).to_be_hidden()

    page.get_by_role("tab", name="Inscriptions").click()
    page.locator("#id_registration_mode").select_option("open")
    page.locator("#id_capacity").fill("12")
    page.get_by_role("button", name="Ajouter : question").click()
    page.locator("#id_registration_questions-0-label").fill("Quelle taille de t-shirt ?")
    page.locator("#id_registration_questions-0-field_type").select_option("single_choice")
    page.locator("#id_registration_questions-0-required").check()
    page.locator("#id_registration_questions-0-choices").fill("S\nM\nL")

    page.get_by_role("button", name=re.compile("Plus d.actions", re.I)).click()
    page.get_by_role("button", name=re.compile("^Publier", re.I)).click()
    expect(page.locator(".messages")).to_contain_text(TITLE)

    event = EventPage.objects.get(title=TITLE)
    assert event.live
    assert event.capacity == 12
    assert timezone.localtime(event.start).strftime("%Y-%m-%d %H:%M") == start.strftime("%Y-%m-%d 14:00")
    assert [q.label for q in event.registration_questions.all()] == ["Quelle taille de t-shirt ?"]
    assert [p.partner_id for p in event.event_partners.all()] == [partner.pk]

    # Visitors see it in the agenda, with its partner and an open registration.
    page.goto(agenda.url)
    page.get_by_role("link", name=TITLE).first.click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main.locator(".event__partners").get_by_role("img", name=partner.logo_alt_text)).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("^S'inscrire"))).to_be_visible()

    # And calendar apps subscribed to the agenda get it.
    feed = page.context.request.get("/calendrier/agenda.ics")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert f"SUMMARY:{TITLE}" in feed.text()
