"""The export path: header, French labels, local times, formula safety in CSV and XLSX."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest

from registrations.exports import iter_csv, registration_rows, write_csv, write_xlsx
from registrations.models import RegistrationSource, RegistrationStatus
from tests.registrations.factories import RegistrationFactory, add_question

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
INJECTION = '=HYPERLINK("x")'


@pytest.fixture
def registrations(event):
    question_lunch = add_question(event, "Repas sur place ?", field_type="checkbox", sort_order=1)
    question_topics = add_question(event, "Thèmes", field_type="multiple_choice", sort_order=2)
    first = RegistrationFactory(
        event=event,
        first_name="Zoé",
        last_name="Écuyer",
        email="zoe@example.org",
        answers={question_lunch.answer_key: True, question_topics.answer_key: ["Vélo", "Jardin"]},
    )
    # created_at is auto_now_add: set a known Paris time afterwards.
    type(first).objects.filter(pk=first.pk).update(
        created_at=datetime.datetime(2025, 7, 3, 9, 30, tzinfo=PARIS), source=RegistrationSource.STAFF
    )
    RegistrationFactory(event=event, first_name=INJECTION, last_name="+33 6", status=RegistrationStatus.WAITLISTED)
    return event


def test_rows_have_french_header_then_one_row_per_registration(registrations):
    rows = list(registration_rows(registrations))
    assert rows[0] == [
        "Prénom",
        "Nom",
        "E-mail",
        "Structure",
        "Téléphone",
        "Places",
        "Statut",
        "Présence",
        "Inscrit·e le",
        "Origine",
        "Réponse attendue avant",
        "N° dans la réservation",
        "Réservation de",
        "Repas sur place ?",
        "Thèmes",
    ]
    assert len(rows) == 3
    zoe = rows[1]
    assert zoe[:3] == ["Zoé", "Écuyer", "zoe@example.org"]
    assert zoe[6] == "Confirmée"
    assert zoe[7] == "Non renseignée"
    assert zoe[8] == datetime.datetime(2025, 7, 3, 9, 30, tzinfo=PARIS)  # a real date for the spreadsheet
    assert zoe[9] == "Saisie par l'équipe"
    assert zoe[10] == ""  # no offer or address check waiting for an answer
    assert zoe[11:13] == [1, "Zoé Écuyer <zoe@example.org>"]
    assert zoe[13:] == ["Oui", "Vélo, Jardin"]


def test_status_filter(registrations):
    rows = list(registration_rows(registrations, status=RegistrationStatus.WAITLISTED))
    assert [row[0] for row in rows[1:]] == [INJECTION]
    with pytest.raises(ValueError):
        list(registration_rows(registrations, status="nope"))


def test_csv_is_utf8_bom_semicolon_and_formula_safe(registrations):
    buffer = io.StringIO()
    write_csv(registration_rows(registrations), buffer)
    text = buffer.getvalue()
    assert text.startswith("\ufeffPrénom;Nom;")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[1][0] == "Zoé"
    assert parsed[2][0] == "'" + INJECTION
    assert parsed[2][1] == "'+33 6"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in parsed for cell in row)


def test_xlsx_keeps_formula_like_names_as_text(registrations):
    buffer = io.BytesIO()
    write_xlsx(registration_rows(registrations), buffer)
    buffer.seek(0)
    sheet = openpyxl.load_workbook(buffer).active
    assert sheet["A1"].value == "Prénom"
    assert sheet["A2"].value == "Zoé"
    injected = sheet["A3"]
    assert injected.value == INJECTION
    assert injected.data_type == "s"
    assert sheet["B3"].value == "+33 6"
    assert sheet["B3"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.fixture
def pasted_from_word(event):
    question = add_question(event, "Attentes", field_type="long_text")
    RegistrationFactory(
        event=event,
        first_name="\x01=1+1",
        last_name="Dupont\x02",  # (no NUL: PostgreSQL refuses it, and Django's form fields too)
        organisation="Centre social\x0bDijon",
        answers={question.answer_key: "Ligne 1\x0cLigne 2\x1f"},
    )
    return event


def test_xlsx_export_survives_control_characters_pasted_from_word(pasted_from_word):
    buffer = io.BytesIO()
    write_xlsx(registration_rows(pasted_from_word), buffer)  # raised IllegalCharacterError before
    buffer.seek(0)
    sheet = openpyxl.load_workbook(buffer).active
    row = list(sheet[2])
    assert row[3].value == "Centre social\nDijon"  # Word's line break becomes a real one
    assert row[1].value == "Dupont"
    assert row[13].value == "Ligne 1\nLigne 2"
    # The dropped control character does not hide the formula: still a plain string cell.
    assert row[0].value == "=1+1" and row[0].data_type == "s"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_csv_export_cleans_control_characters_the_same_way(pasted_from_word):
    buffer = io.StringIO()
    write_csv(registration_rows(pasted_from_word), buffer)
    parsed = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff")), delimiter=";"))
    assert parsed[1][0] == "'=1+1"  # cleaned first, then neutralised
    assert parsed[1][1] == "Dupont"
    assert parsed[1][3] == "Centre social\nDijon"
    assert not any(char in cell for row in parsed for cell in row for char in "\x00\x01\x0b\x0c\x1f")


@pytest.mark.parametrize(
    "typed",
    [
        "\u200b=1+1",  # a zero-width space hid the trigger
        "\u202e=1+1",  # a bidi override
        "\ufeff@SUM(A1)",  # a byte-order mark
        "＝1+1",  # full-width equals sign
        "＋33 6",
        "－1",
        "＠SUM(A1)",
        "﹦1+1",  # small equals sign
        "\u22121",  # minus sign
        " \t=1+1",
    ],
)
def test_disguised_formula_triggers_are_neutralised(event, typed):
    RegistrationFactory(event=event, first_name=typed)
    buffer = io.StringIO()
    write_csv(registration_rows(event), buffer)
    cell = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff")), delimiter=";"))[1][0]
    assert cell.startswith("'"), cell
    assert not any(char in cell for char in "\u200b\u202e\ufeff\t")  # cleaned as the forms clean input
    buffer = io.BytesIO()
    write_xlsx(registration_rows(event), buffer)
    buffer.seek(0)
    cell = openpyxl.load_workbook(buffer).active["A2"]
    assert cell.data_type == "s"


def test_ordinary_text_is_not_quoted(event):
    RegistrationFactory(event=event, first_name="Zoé", last_name="Ω-3", organisation="1+1 association")
    buffer = io.StringIO()
    write_csv(registration_rows(event), buffer)
    row = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff")), delimiter=";"))[1]
    assert row[:2] == ["Zoé", "Ω-3"]
    assert row[3] == "1+1 association"


def test_csv_writes_dates_in_french_digits(registrations):
    text = "".join(iter_csv(registration_rows(registrations)))
    assert ";03/07/2025 09:30;" in text


def test_xlsx_is_ready_to_sort_filter_and_print(registrations):
    """Bold frozen header with a filter, readable widths, real dates and numbers: nothing to fix by hand."""
    buffer = io.BytesIO()
    write_xlsx(registration_rows(registrations), buffer)
    buffer.seek(0)
    sheet = openpyxl.load_workbook(buffer).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O3"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.column_dimensions["A"].width >= 12 and sheet.column_dimensions["N"].width >= len("Repas sur place ?")
    created = sheet["I2"]
    assert created.is_date and created.value == datetime.datetime(2025, 7, 3, 9, 30)  # Paris wall-clock time
    assert created.number_format == "DD/MM/YYYY HH:MM"
    assert sheet["F2"].value == 1 and sheet["F2"].data_type == "n"  # seats stay a number
