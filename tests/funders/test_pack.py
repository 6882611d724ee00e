"""The funder's pack: the ZIP's entries, the XLSX sheets, the PDF's text, and « < 5 » for every small count."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.documents.models import Document

from funders import suppression
from registrations import services, signin_sheet
from registrations.models import Registration, SignedSheet
from tests.funders.factories import FundedActionFactory, Indicator, add_target, attach, came, neighbourhood, past_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(home_page):
    action = FundedActionFactory(title="Quartiers en fête", note="Des voisines sont revenues chaque mois.")
    big, small = past_event(home_page, -30, title="Grand repas"), past_event(home_page, -10, title="Petit atelier")
    attach(action, big, small)
    for n in range(7):
        came(big, email=f"big{n}@example.org", audience={"quartier": "Aux Grésilles"})
    came(big, email="x@example.org", audience={"quartier": "Ailleurs"})
    for n in range(3):
        came(small, email=f"small{n}@example.org")
    add_target(action, Indicator.PARTICIPANTS, 20, label="participations")
    add_target(action, Indicator.ANSWER_SHARE, 40, question=neighbourhood(), answers="Aux Grésilles", label="QPV")
    return action


def pack(action, tmp_path):
    output = tmp_path / "dossier.zip"
    call_command("funders_report", "--action", str(action.pk), "--output", str(output), stdout=io.StringIO())
    return zipfile.ZipFile(output)


def sheets(archive, folder):
    workbook = load_workbook(io.BytesIO(archive.read(f"{folder}/chiffres.xlsx")))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def test_the_pack_holds_the_figures_the_summary_and_one_sign_in_sheet_per_event(action, tmp_path):
    archive = pack(action, tmp_path)
    folder = f"{action.pk}-quartiers-en-fete"
    names = archive.namelist()
    assert f"{folder}/chiffres.xlsx" in names and f"{folder}/synthese.pdf" in names
    assert len([name for name in names if name.startswith(f"{folder}/emargements/")]) == 2
    assert all(name.endswith(".pdf") for name in names if "emargements" in name)

    workbook = sheets(archive, folder)
    assert {"Synthèse", "Objectifs", "Par événement", "Par mois", "Par catégorie", "Vous habitez"} <= set(workbook)
    summary = dict(row for row in workbook["Synthèse"][1:])
    assert summary["Participations (personnes présentes)"] == 11
    assert summary["Personnes différentes"] == 11
    events = {row[0]: row[3:] for row in workbook["Par événement"][1:]}
    assert events["Grand repas"] == [8, 8]
    assert events["Petit atelier"] == ["< 5", "< 5"]  # 3 people: suppressed
    neighbourhood_rows = {row[0]: row[1:] for row in workbook["Vous habitez"][1:]}
    assert neighbourhood_rows["Aux Grésilles"] == [7, 87.5]
    assert neighbourhood_rows["Ailleurs"] == ["< 5", "< 5"]
    assert neighbourhood_rows["Dans la métropole (hors Dijon)"] == [0, 0]
    assert neighbourhood_rows["Sans réponse"][0] == "< 5"

    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(archive.read(f"{folder}/synthese.pdf"))).pages
    )
    assert "Quartiers en fête" in text and "Contrat de ville" in text
    assert "Des voisines sont revenues chaque mois." in text
    assert "Grand repas" in text and "< 5" in text
    assert "La Coursive Boutaric" in text  # the association's identity (site name)


def test_no_small_count_leaves_in_the_spreadsheet_or_the_summary(action, tmp_path):
    archive = pack(action, tmp_path)
    folder = f"{action.pk}-quartiers-en-fete"
    for title, rows in sheets(archive, folder).items():
        for row in rows[1:]:
            if row[0] == "Événements tenus":
                continue  # events, not people (test_the_number_of_events_is_not_a_count_of_people)
            for value in row[1:]:
                assert not (isinstance(value, int) and 0 < value < 5), (title, row)
    text = PdfReader(io.BytesIO(archive.read(f"{folder}/synthese.pdf"))).pages[0].extract_text()
    for line in text.splitlines():
        assert line.strip() not in {"1", "2", "3", "4"}


def test_the_pack_is_unchanged_once_every_registration_is_anonymised(action, tmp_path):
    before = sheets(pack(action, tmp_path), f"{action.pk}-quartiers-en-fete")
    for registration in Registration.objects.all():
        services.anonymize(registration)
    assert sheets(pack(action, tmp_path), f"{action.pk}-quartiers-en-fete") == before


def test_the_pack_downloads_from_the_report(action, manager_client):
    response = manager_client.get(reverse("funders:pack", args=[action.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "bilan-quartiers-en-fete.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert any(name.endswith("chiffres.xlsx") for name in archive.namelist())


def test_the_command_takes_a_year_and_refuses_unknown_actions(action, tmp_path):
    output = tmp_path / "annee.zip"
    year = action.last_year
    call_command("funders_report", "--year", str(year), "--output", str(output), stdout=io.StringIO())
    assert any(name.endswith("synthese.pdf") for name in zipfile.ZipFile(output).namelist())
    with pytest.raises(CommandError):
        call_command("funders_report", "--action", "999999", "--output", str(output))
    with pytest.raises(CommandError):
        call_command("funders_report", "--year", "1990", "--output", str(output))


def test_one_suppression_rule():
    assert [suppression.suppress(n) for n in (0, 1, 4, 5, 120)] == [0, "< 5", "< 5", 5, 120]
    assert suppression.suppress_share(3, 100) == "< 5"
    assert suppression.suppress_share(30, 4) == "< 5"
    assert suppression.suppress_share(7, 8) == 87.5
    assert suppression.suppress_share(0, 0) == "—"


def test_the_scanned_signed_sheets_go_into_the_pack(action, tmp_path):
    event = action.action_events.first().event
    document = Document.objects.create(title="Émargement signé", file=ContentFile(b"%PDF-1.4 scan", name="scan.pdf"))
    sheet = SignedSheet.objects.create(page=event, document=document, label="Matin")
    archive = pack(action, tmp_path)
    scans = [name for name in archive.namelist() if "/emargements-signes/" in name]
    assert scans == [f"{action.pk}-quartiers-en-fete/emargements-signes/grand-repas-matin-{sheet.pk}.pdf"]
    assert archive.read(scans[0]) == b"%PDF-1.4 scan"


def test_a_years_pack_holds_only_that_years_events_and_figures(home_page, tmp_path):
    today = timezone.localdate()
    action = FundedActionFactory(title="Sur deux ans")
    old = past_event(home_page, -(today.timetuple().tm_yday + 30), title="Ancien atelier")
    recent = past_event(home_page, -(today.timetuple().tm_yday - 1), title="Atelier récent")  # Jan 1st this year
    attach(action, old, recent)
    for n in range(6):
        came(old, email=f"old{n}@example.org")
    for n in range(9):
        came(recent, email=f"new{n}@example.org")
    output = tmp_path / "annee.zip"
    call_command("funders_report", "--year", str(today.year - 1), "--output", str(output), stdout=io.StringIO())
    archive = zipfile.ZipFile(output)
    folder = f"{action.pk}-sur-deux-ans"
    assert [name for name in archive.namelist() if "/emargements/" in name] == [
        f"{folder}/emargements/{signin_sheet.pdf_filename(old)}"
    ]
    summary = dict(row for row in sheets(archive, folder)["Synthèse"][1:])
    assert summary["Participations (personnes présentes)"] == 6


def test_no_sheet_is_reprinted_once_every_name_is_erased(action, tmp_path):
    small = action.action_events.get(event__title="Petit atelier").event
    big = action.action_events.get(event__title="Grand repas").event
    for registration in small.registrations.all():
        services.anonymize(registration)
    printed = [name for name in pack(action, tmp_path).namelist() if "/emargements/" in name]
    assert printed == [f"{action.pk}-quartiers-en-fete/emargements/{signin_sheet.pdf_filename(big)}"]


def test_the_number_of_events_is_not_a_count_of_people(action, tmp_path):
    add_target(action, Indicator.EVENTS, 3, label="rendez-vous")
    workbook = sheets(pack(action, tmp_path), f"{action.pk}-quartiers-en-fete")
    assert dict(row for row in workbook["Synthèse"][1:])["Événements tenus"] == 2
    assert [row for row in workbook["Objectifs"] if row[0] == "rendez-vous"] == [["rendez-vous", "3", "2", "non"]]
