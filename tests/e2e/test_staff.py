"""Staff in the French admin: open an event's registrations, approve, check in, bulk actions, export, print."""

import csv
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from registrations import services
from registrations.models import RegistrationStatus
from tests.e2e.conftest import log_in_to_admin

pytestmark = pytest.mark.e2e


@pytest.fixture
def reviewed_workshop(workshop):
    """The workshop in "pre-registration validated by the team" mode, with two requests waiting."""
    workshop.registration_mode = "review"
    workshop.save_revision().publish()
    services.register(workshop, first_name="Nadia", last_name="Roussel", email="nadia@example.org")
    services.register(
        workshop, first_name='=HYPERLINK("http://exemple.invalid")', last_name="Piège", email="piege@example.org"
    )
    assert workshop.registrations.filter(status=RegistrationStatus.PENDING).count() == 2
    return workshop


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def test_staff_approve_check_in_export_and_print(page, reviewed_workshop, manager_password, mailoutbox):
    """A member of "Gestion des inscriptions" (not a superuser) does the whole round."""
    event = reviewed_workshop
    nadia = event.registrations.get(email="nadia@example.org")
    log_in_to_admin(page, *manager_password)

    # From the admin menu: all registrations, filtered on the workshop, then its own page.
    page.get_by_role("button", name="Inscriptions").click()
    page.get_by_role("link", name="Toutes les inscriptions").click()
    page.goto(page.url.split("?")[0] + f"?event={event.pk}")
    page.get_by_role("link", name="Page des inscriptions").click()
    assert event.title in page.get_by_role("heading", level=1).inner_text()
    expect(page.get_by_role("heading", name="Demandes à valider (2)")).to_be_visible()

    mailoutbox.clear()
    page.locator(f"#r{nadia.pk}").get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("heading", name="Inscription confirmée (1)")).to_be_visible()
    nadia.refresh_from_db()
    assert nadia.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [["nadia@example.org"]], "the approved person is told"

    page.locator(f"#r{nadia.pk}").get_by_role("button", name="Présent·e").click()
    expect(page.locator(f"#r{nadia.pk}")).to_contain_text("(présent·e)")
    nadia.refresh_from_db()
    assert nadia.checked_in_at is not None

    # The ticked rows go through Wagtail's bulk-action confirmation: refuse the other request, silently.
    piege = event.registrations.get(email="piege@example.org")
    page.locator(f"#select-{piege.pk}").check()
    page.get_by_role("button", name="Refuser les demandes cochées").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmer le refus")
    expect(page.get_by_text("Piège")).to_be_visible()
    page.get_by_label("Prévenir la personne par e-mail").uncheck()
    page.get_by_role("button", name="Confirmer le refus").click()
    expect(page.get_by_text("Demandes refusées :")).to_be_visible()
    assert event.title in page.get_by_role("heading", level=1).inner_text(), "back on the event page"
    piege.refresh_from_db()
    assert piege.status == RegistrationStatus.REJECTED
    assert [m.to for m in mailoutbox] == [["nadia@example.org"]], "nobody told of the refusal"

    # The listing's footer (Wagtail's bulk-actions.js) leads to the same confirmation, and back.
    event_page_url = page.url
    page.goto(f"/admin/inscriptions/?event={event.pk}")
    page.locator(f'[data-object-id="{nadia.pk}"]').check()
    page.get_by_role("link", name="Annuler les inscriptions sélectionnées").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmer l'annulation")
    expect(page.get_by_text("Nadia Roussel")).to_be_visible()
    page.get_by_role("link", name="Ne rien changer").click()
    page.wait_for_url(f"**/admin/inscriptions/?event={event.pk}")
    nadia.refresh_from_db()
    assert nadia.status == RegistrationStatus.CONFIRMED
    page.goto(event_page_url)

    filename, content = download(page, "Export CSV")
    assert filename.endswith(".csv")
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), dialect=csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")))
    flat = [cell for row in rows for cell in row]
    assert "Roussel" in flat and "nadia@example.org" in flat
    assert not any(cell.startswith("=") for cell in flat), "a formula in a name reaches the sheet as text"

    filename, content = download(page, "Export Excel (XLSX)")
    assert filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    values = [str(cell.value) for cell in cells]
    assert "Roussel" in values and "nadia@example.org" in values
    assert all(cell.data_type != "f" for cell in cells), "no cell is a formula"

    filename, content = download(page, "Feuille d'émargement (PDF)")
    assert filename.endswith(".pdf")
    assert content.startswith(b"%PDF")
