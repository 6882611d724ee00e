"""A registrant erases their data: asked once more on a page of its own, without JavaScript, then erased."""

import re

import pytest
from playwright.sync_api import expect

from registrations import services, tokens
from registrations.models import RegistrationStatus
from tests.e2e.helpers import assert_accessible
from tests.registrations.factories import person

pytestmark = pytest.mark.e2e


def test_erasing_asks_once_more_then_erases(page, workshop, axe_source):
    registration = services.register(workshop, **person(1))
    manage_path = f"/inscription/gerer/{tokens.make_manage_value(registration)}/"
    page.goto(manage_path)
    page.get_by_role("link", name="Effacer mes données").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mes données ?")
    expect(page.get_by_role("main")).to_contain_text("Votre inscription sera d'abord annulée")
    assert_accessible(page, axe_source, "confirmation de l'effacement")
    registration.refresh_from_db()
    assert registration.anonymized_at is None  # asking changed nothing

    page.get_by_role("link", name="Non, revenir à mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.anonymized_at is None

    page.get_by_role("link", name="Effacer mes données").click()
    page.get_by_role("button", name="Oui, effacer mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos données sont effacées")
    registration.refresh_from_db()
    assert registration.anonymized_at is not None and registration.status == RegistrationStatus.CANCELLED
    assert re.search(r"@invalid$", registration.email)


@pytest.fixture
def no_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_erasing_works_without_javascript(no_javascript, workshop):
    registration = services.register(workshop, **person(2))
    no_javascript.goto(f"/inscription/gerer/{tokens.make_manage_value(registration)}/effacer/")
    no_javascript.get_by_role("button", name="Oui, effacer mes données").click()
    expect(no_javascript.get_by_role("heading", level=1)).to_have_text("Vos données sont effacées")
    registration.refresh_from_db()
    assert registration.anonymized_at is not None
