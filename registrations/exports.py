r"""The one export path for attendee lists: a generator of rows, rendered as CSV or XLSX.

``registration_rows()`` yields plain text rows (header first); ``write_csv()``
and ``write_xlsx()`` only render them. The admin download buttons and the
``export_registrations`` command both go through here, so a fix to a column or
to formula safety applies everywhere at once.

Formula safety: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula (CSV/formula injection), and some read the full-width
and small forms (``＝``, ``＋``, ``－``, ``＠``, ``﹦``…) and the minus sign
``−`` the same way. In CSV such a cell is prefixed with a single quote, which
spreadsheets display as text; in XLSX the cell is written as an explicit string
cell (never a formula) and keeps its text.

Cleaning: every text cell first goes through ``core.text.clean_text``, the
normaliser the forms use, so the export and the input cleaning agree. Control
characters (which XML, hence XLSX, forbids: openpyxl raised
``IllegalCharacterError``), bidi and zero-width characters are dropped; a
vertical tab or a form feed pasted from Word becomes a line break. Formula
safety is checked on the cleaned text, so nothing invisible can hide a leading
trigger (``"\x01=1+1"`` and ``"\u200b=1+1"`` are treated as ``"=1+1"``).

CSV dialect: UTF-8 with a byte-order mark and ``;`` as the delimiter, which is
what Excel set to French expects (``,`` is the French decimal separator), and
what LibreOffice detects without a dialog.
"""

import csv
import unicodedata
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_short_datetime
from core.text import clean_text
from registrations.models import Registration, RegistrationSource, RegistrationStatus

CSV_DELIMITER = ";"
# Checked on the first character after NFKC, which maps the full-width and small forms to these.
FORMULA_TRIGGERS = frozenset("=+-@\u2212")
CHUNK_SIZE = 2000


def clean_cell(value):
    """A text cell cleaned as the forms clean input (see the module docstring); other values as they are."""
    if not isinstance(value, str):
        return value
    return clean_text(value)


def is_formula_like(value):
    """True when a spreadsheet would run this (cleaned) text as a formula."""
    return isinstance(value, str) and bool(value) and unicodedata.normalize("NFKC", value[0])[:1] in FORMULA_TRIGGERS


def neutralise_csv_cell(value):
    """Clean the text, then prefix formula-like text with a quote so that spreadsheets show it as text."""
    value = clean_cell(value)
    if is_formula_like(value):
        return "'" + value
    return value


def format_answer(value):
    """A custom-question answer as one line of text (lists joined, booleans in French)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def attendance_label(registration, *, now=None):
    """Attendance in French: present, absent (the event has started) or not recorded yet."""
    if registration.checked_in_at:
        return _("Présent·e")
    now = now or timezone.now()
    if registration.status == RegistrationStatus.CONFIRMED and registration.event.start <= now:
        return _("Absent·e")
    return _("Non renseignée")


def header_row(questions):
    return [
        _("Prénom"),
        _("Nom"),
        _("E-mail"),
        _("Structure"),
        _("Téléphone"),
        _("Places"),
        _("Statut"),
        _("Présence"),
        _("Inscrit·e le"),
        _("Origine"),
        *[question.label for question in questions],
    ]


def registration_rows(event, *, status=None):
    """Yield the header row, then one row of text per registration of ``event``.

    ``status`` limits the rows to one ``RegistrationStatus`` value. Rows are
    read with ``.iterator()`` so memory stays bounded whatever the event size.
    """
    if status is not None and status not in RegistrationStatus.values:
        raise ValueError(status)
    questions = list(event.registration_questions.order_by("sort_order", "pk"))
    yield header_row(questions)

    status_labels = dict(RegistrationStatus.choices)
    source_labels = dict(RegistrationSource.choices)
    now = timezone.now()
    registrations = Registration.objects.filter(event=event).order_by("created_at", "pk")
    if status is not None:
        registrations = registrations.filter(status=status)
    for registration in registrations.iterator(chunk_size=CHUNK_SIZE):
        registration.event = event  # avoid one query per row in attendance_label()
        answers = registration.answers or {}
        yield [
            registration.first_name,
            registration.last_name,
            registration.email,
            registration.organisation,
            registration.phone,
            registration.seats,
            str(status_labels.get(registration.status, registration.status)),
            str(attendance_label(registration, now=now)),
            format_short_datetime(registration.created_at),
            str(source_labels.get(registration.source, registration.source)),
            *[format_answer(answers.get(question.answer_key)) for question in questions],
        ]


def write_csv(rows, file):
    """Write rows to a text file as formula-safe CSV (UTF-8 BOM, ``;``)."""
    file.write("\ufeff")
    writer = csv.writer(file, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise_csv_cell(cell) for cell in row])


class _Echo:
    """A file-like object whose write() returns the text, for streaming responses."""

    def write(self, value):
        return value


def iter_csv(rows):
    """Yield CSV text chunk by chunk (for StreamingHttpResponse), same format as write_csv()."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([neutralise_csv_cell(cell) for cell in row])


def write_xlsx(rows, file, *, sheet_title=None):
    """Write rows to a binary file as XLSX, every text cell cleaned and forced to a string cell.

    A write-only workbook streams rows to disk, so memory stays bounded.
    openpyxl would store text starting with ``=`` as a formula: the explicit
    ``data_type = "s"`` below is what keeps such a name inert.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(sheet_title or _("Inscriptions"))[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime):
                value = format_short_datetime(value)
            value = clean_cell(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(file)


def export_filename(event, extension):
    """A download name like inscriptions-atelier-numerique-2025-07-03.csv."""
    day = timezone.localtime(event.start).date().isoformat()
    return f"inscriptions-{event.slug}-{day}.{extension}"
