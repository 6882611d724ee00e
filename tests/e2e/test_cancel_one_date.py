"""Staff cancel one date of a series from its « Dates » page: told first how many people will be written to,
then only that date's people are (issue 13)."""

import re

import pytest
from playwright.sync_api import expect

from events.models import OccurrenceStatus
from outbox.models import OutgoingEmail
from registrations import services
from registrations.models import RegistrationStatus
from tests.e2e.conftest import log_in_to_admin
from tests.e2e.helpers import assert_accessible
from tests.registrations.factories import person
from tests.registrations.series import make_series

pytestmark = pytest.mark.e2e


def test_staff_cancel_one_date_and_only_its_people_hear_of_it(page, demo_site, manager_password, axe_source):
    event, (first, second, third) = make_series(
        demo_site.root_page.specific, dates=3, capacity=5, title="Atelier couture du samedi", slug="couture"
    )
    on_second = services.register(event, occurrence=second, **person(1))
    on_third = services.register(event, occurrence=third, **person(2))
    before = OutgoingEmail.objects.count()

    log_in_to_admin(page, *manager_password)
    page.goto(f"/admin/inscriptions/evenement/{event.pk}/dates/")
    assert_accessible(page, axe_source, "dates of a series")
    page.get_by_role("link", name=re.compile("Annuler cette date")).nth(1).click()

    expect(page.get_by_text("1 personne recevra un e-mail d'annulation")).to_be_visible()
    page.get_by_label("Message aux personnes inscrites").fill("Intervenante malade, la séance est reportée")
    page.get_by_role("button", name="Annuler cette date et prévenir les personnes").click()
    expect(page.get_by_text("Date annulée ; 1 inscription a pris fin")).to_be_visible()

    second.refresh_from_db()
    on_second.refresh_from_db()
    on_third.refresh_from_db()
    assert second.status == OccurrenceStatus.CANCELLED
    assert (on_second.status, on_third.status) == (RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED)
    sent = OutgoingEmail.objects.order_by("created_at")[before:]
    assert [message.recipients for message in sent] == [on_second.email]

    page.goto(event.url)
    cancelled = page.locator(f"#date-{second.pk}")
    expect(cancelled).to_contain_text("Annulée")
    expect(cancelled).to_contain_text("Intervenante malade")
