"""A course at the door: staff choose session 2, check someone in by keyboard, and find them on its sheet."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.demo import COURSE_SLUG
from events.models import EventPage
from registrations.models import SessionPresence
from tests.e2e.conftest import log_in_to_admin

pytestmark = pytest.mark.e2e


def test_staff_check_in_at_session_two_by_keyboard(page, demo_site, manager_password):
    course = EventPage.objects.get(slug=COURSE_SLUG)
    first, second, _third = course.course_sessions
    # The demo course's people are the paid training's (``registrations/demo.py`` PAID_PEOPLE).
    alix = course.registrations.get(first_name="Alix", last_name="Chèque").attendees.get()
    log_in_to_admin(page, *manager_password)

    page.goto(reverse("inscriptions:check_in", args=[course.pk]))
    choice = page.get_by_label("Séance", exact=True)
    expect(choice).to_have_value(str(first.pk))  # before the course: the next session, the first
    choice.focus()
    page.keyboard.press("ArrowDown")  # session 2
    expect(choice).to_have_value(str(second.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Pointer cette séance")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Séance 2 sur 3"))).to_be_visible()
    assert f"seance={second.pk}" in page.url

    row = page.locator(f"#a{alix.pk}")
    button = row.get_by_role("button", name=re.compile("^Marquer présent·e"))
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Présence enregistrée : Alix Chèque.")).to_be_visible()
    expect(page.locator(f"#a{alix.pk}")).to_have_class("checkin-done")
    expect(page.get_by_label("Séance", exact=True)).to_have_value(str(second.pk))  # still on session 2
    assert list(SessionPresence.objects.filter(attendee=alix).values_list("session", flat=True)) == [second.pk]

    page.goto(reverse("inscriptions:signin_html", args=[course.pk]) + f"?seance={second.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.get_by_text(re.compile("Feuille d'émargement — séance 2 sur 3"))).to_be_visible()
    line = page.get_by_role("row").filter(has_text="CHÈQUE Alix")
    expect(line.get_by_role("cell").nth(3)).to_have_text("présent·e")
    other = page.get_by_role("row").filter(has_text="ESPÈCES Dominique")
    expect(other.get_by_role("cell").nth(3)).to_have_text("")
