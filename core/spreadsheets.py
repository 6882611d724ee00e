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
import itertools
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from core.dates import format_short_date, format_short_datetime, to_local
from core.text import clean_text

CSV_DELIMITER = ";"
# Checked on the first character after NFKC, which maps the full-width and small forms to these.
FORMULA_TRIGGERS = frozenset("=+-@\u2212")


# Staff open the files in a spreadsheet to sort, filter and print: real dates and a header that stays.
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0.00"
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 12, 50
# Characters Excel refuses in a sheet's name.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def clean_cell(value):
    """A text cell cleaned as the forms clean input (see the module docstring); other values as they are."""
    if not isinstance(value, str):
        return value
    return clean_text(value)


def as_text(value):
    """What a CSV cell holds: dates in French digits (local time), the rest as it is."""
    if isinstance(value, datetime):
        return format_short_datetime(value)
    if isinstance(value, date):
        return format_short_date(value)
    return value


def is_formula_like(value):
    """True when a spreadsheet would run this (cleaned) text as a formula."""
    return isinstance(value, str) and bool(value) and unicodedata.normalize("NFKC", value[0])[:1] in FORMULA_TRIGGERS


def neutralise_csv_cell(value):
    """Clean the text, then prefix formula-like text with a quote so that spreadsheets show it as text.

    Amounts (``Decimal``) are written the French way, « -60,00 »: a number, never a formula.
    """
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    value = clean_cell(as_text(value))
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


def write_xlsx(rows, file, *, sheet_title=None, header=True):
    """Write rows to a binary file as XLSX, ready to sort, filter and print.

    The first row (``header``) is bold, frozen and filtered, and sets the
    column widths; dates are real dates (local time) shown as 03/07/2025 09:30;
    numbers stay numbers; every text cell is cleaned and forced to a string
    cell. A write-only workbook streams rows to disk, so memory stays bounded;
    openpyxl would store text starting with ``=`` as a formula: the explicit
    ``data_type = "s"`` below is what keeps such a name inert.
    """
    write_xlsx_sheets([(sheet_title or _("Feuille 1"), rows)], file, header=header)


def write_xlsx_sheets(sheets, file, *, header=True):
    """Several sheets, [(title, rows)], in one workbook, each written as ``write_xlsx`` writes its one."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        _write_sheet(workbook, title, rows, header)
    workbook.save(file)


def _write_sheet(workbook, title, rows, header):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter

    sheet = workbook.create_sheet(title=SHEET_TITLE_FORBIDDEN.sub(" ", str(title))[:31])
    rows = iter(rows)
    first = next(rows, None)
    if first is not None and header:
        # Write-only sheets take their widths and frozen pane before the first row.
        for index, column_title in enumerate(first, start=1):
            width = min(max(len(str(column_title or "")) + 4, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    count, columns = 0, 0
    for position, row in enumerate(itertools.chain([first] if first is not None else [], rows)):
        cells = []
        for value in row:
            cell = _xlsx_cell(sheet, value, WriteOnlyCell)
            if header and position == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        count, columns = count + 1, max(columns, len(cells))
    if header and count and columns:
        sheet.auto_filter = AutoFilter(ref=f"A1:{get_column_letter(columns)}{count}")


def _xlsx_cell(sheet, value, cell_class):
    if isinstance(value, datetime):
        cell = cell_class(sheet, value=to_local(value).replace(tzinfo=None))  # spreadsheets know no time zones
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = cell_class(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = cell_class(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    value = clean_cell(value)
    cell = cell_class(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
