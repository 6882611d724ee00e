"""An editor cancels a workshop people registered for: told how many will be e-mailed, confirms, then it goes out."""

import re

import pytest
from playwright.sync_api import expect

from events.models import EventPage
from registrations import services
from tests.e2e.conftest import log_in_to_admin
from tests.registrations.factories import person

pytestmark = pytest.mark.e2e


def publish(page):
    page.get_by_role("button", name=re.compile("Plus d.actions", re.I)).click()
    page.get_by_role("button", name=re.compile("^Publier", re.I)).click()


def test_editor_confirms_before_registrants_are_emailed(page, workshop, editor_password, mailoutbox):
    for n in (1, 2):
        services.register(workshop, **person(n))
    mailoutbox.clear()
    log_in_to_admin(page, *editor_password)
    page.goto(f"/admin/pages/{workshop.pk}/edit/")
    expect(page.locator("#id_confirm_notification")).to_have_count(0)  # nothing to confirm yet

    page.locator("#id_status").select_option("cancelled")
    page.locator("#id_summary").fill("Annulé : l'animatrice est malade. Nous reprogrammons l'atelier.")
    publish(page)

    # Refused, with the count, the edits still in the form, nothing published, nobody e-mailed.
    expect(page.get_by_text("2 personnes vont être prévenues par e-mail")).to_be_visible()
    expect(page.locator("#id_status")).to_have_value("cancelled")
    expect(page.locator("#id_summary")).to_have_value(re.compile("l'animatrice est malade"))
    assert EventPage.objects.get(pk=workshop.pk).status == "scheduled"
    assert mailoutbox == []

    page.get_by_role("checkbox", name="Oui, prévenir ces 2 personnes par e-mail").check()
    publish(page)
    expect(page.locator(".messages")).to_contain_text(workshop.title)
    assert EventPage.objects.get(pk=workshop.pk).status == "cancelled"
    assert sorted(message.to[0] for message in mailoutbox) == ["camille1@example.org", "camille2@example.org"]
    assert all(message.subject.startswith("Événement annulé") for message in mailoutbox)
