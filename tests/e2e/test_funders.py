"""Staff open a funded action's report from the admin menu and download the funder's pack."""

import io
import re
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_to_admin

pytestmark = pytest.mark.e2e


def test_staff_open_an_actions_report_and_download_the_pack(page, manager_password):
    """A member of « Gestion des inscriptions » reads last year's figures, all from anonymised registrations."""
    last_year = timezone.localdate().year - 1
    title = f"Vivre ensemble aux Grésilles {last_year}"
    log_in_to_admin(page, *manager_password)

    page.get_by_role("link", name="Actions financées").click()
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("link", name="Voir le bilan").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("heading", name="Avancement des objectifs")).to_be_visible()
    expect(page.get_by_role("heading", name="Vous habitez")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("50 sur 50")).to_be_visible()  # participations reached, though every name is erased

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Télécharger le dossier")).click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    names = archive.namelist()
    assert any(name.endswith("/synthese.pdf") for name in names)
    # Last year's names are all erased: no sheet is reprinted (it would read « Anonyme »), scans go instead.
    assert not [name for name in names if "/emargements/" in name]
    workbook = load_workbook(io.BytesIO(archive.read(next(name for name in names if name.endswith(".xlsx")))))
    assert "Vous habitez" in workbook.sheetnames
