r"""The one formula-safe spreadsheet writer: rows of plain values rendered as CSV or XLSX.

Every export of the site goes through here (attendee lists in
``registrations/exports.py``, contact-form messages in ``home/contact.py``),
so a fix to formula safety applies everywhere at once. Callers only build the
rows (header first); these functions only render them.

Formula safety: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (CSV/formula injection). In CSV
such a cell is prefixed with a single quote, which spreadsheets display as
text; in XLSX the cell is written as an explicit string cell (never a formula)
and keeps its exact text.

Control characters: text pasted from Word or from another program can carry
C0 control characters (a line break typed as ``\x0b``, a page break ``\x0c``,
stray ``\x01``…). XML, hence XLSX, forbids them (openpyxl raises
``IllegalCharacterError``), and in CSV they only confuse the reader. Every text
cell is cleaned the same way in both formats before anything else: a vertical
tab or a form feed becomes a line break (``\n``, what it meant in Word), any
other forbidden character is dropped. Tab, line feed and carriage return are
legal and kept as typed. Formula safety is checked on the cleaned text, so a
control character can never hide a leading ``=`` (``"\x01=1+1"`` is treated as
``"=1+1"``).

CSV dialect: UTF-8 with a byte-order mark and ``;`` as the delimiter, which is
what Excel set to French expects (``,`` is the French decimal separator), and
what LibreOffice detects without a dialog.
"""

import csv
import re
from datetime import datetime

from django.utils.translation import gettext as _

from core.dates import format_short_datetime

CSV_DELIMITER = ";"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls that XML 1.0 forbids (all but tab, line feed and carriage return), and the two non-characters.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def clean_text(value):
    """Text without the control characters a spreadsheet cannot store (see the module docstring)."""
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS.sub("", value.translate(LINE_BREAKS))


def is_formula_like(value):
    """True when a spreadsheet would run this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise_csv_cell(value):
    """Clean the text, then prefix formula-like text with a quote so that spreadsheets show it as text."""
    value = clean_text(value)
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
            value = clean_text(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(file)
