"""The export_registrations command: stdout CSV, files, French errors."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from registrations.models import RegistrationStatus
from tests.registrations.factories import RegistrationFactory


@pytest.fixture
def registered(event):
    RegistrationFactory(event=event, first_name='=HYPERLINK("x")', last_name="Martin")
    RegistrationFactory(event=event, first_name="Inès", last_name="Petit", status=RegistrationStatus.CANCELLED)
    return event


def test_csv_to_stdout_by_slug(registered):
    out = io.StringIO()
    call_command("export_registrations", "atelier-numerique", stdout=out)
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Prénom;Nom;E-mail;")
    assert lines[1].startswith('"\'=HYPERLINK(""x"")";Martin;')
    assert len(lines) == 3


def test_status_and_page_id(registered):
    out = io.StringIO()
    call_command("export_registrations", str(registered.pk), "--status", "cancelled", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "Inès;Petit" in lines[1]


def test_xlsx_to_file(registered, tmp_path):
    target = tmp_path / "liste.xlsx"
    call_command(
        "export_registrations", "atelier-numerique", "--format", "xlsx", "--output", str(target), stderr=io.StringIO()
    )
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A2"].value == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"


def test_csv_to_file(registered, tmp_path):
    target = tmp_path / "liste.csv"
    call_command("export_registrations", "atelier-numerique", "--output", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8").startswith("\ufeffPrénom;")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["inconnu"], "Aucun événement"),
        (["99999"], "Aucun événement"),
        (["atelier-numerique", "--status", "paid"], "Statut inconnu"),
        (["atelier-numerique", "--format", "xlsx"], "--output"),
        (["atelier-numerique", "--format", "ods"], "Format inconnu"),
    ],
)
def test_french_errors(registered, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_registrations", *args, stdout=io.StringIO())


def test_xlsx_to_file_with_a_control_character_in_the_organisation(event, tmp_path):
    RegistrationFactory(event=event, last_name="Martin", organisation="Maison\x0bdes associations")
    target = tmp_path / "liste.xlsx"
    call_command(
        "export_registrations", "atelier-numerique", "--format", "xlsx", "--output", str(target), stderr=io.StringIO()
    )
    sheet = openpyxl.load_workbook(target).active
    assert sheet["B2"].value == "Martin"
    assert sheet["D2"].value == "Maison\ndes associations"
