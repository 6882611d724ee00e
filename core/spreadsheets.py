r"""The one formula-safe spreadsheet writer: rows of plain values rendered as CSV or XLSX.

Every export of the site goes through here (attendee lists in
``registrations/exports.py``, contact-form messages in ``home/contact.py``),
so a fix to formula safety applies everywhere at once. Callers only build the
rows (header first); these functions only render them.

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

from django.utils.translation import gettext as _

from core.dates import format_short_datetime
from core.text import clean_text

CSV_DELIMITER = ";"
# Checked on the first character after NFKC, which maps the full-width and small forms to these.
FORMULA_TRIGGERS = frozenset("=+-@\u2212")


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
    sheet = workbook.create_sheet(title=(sheet_title or _("Feuille 1"))[:31])
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
