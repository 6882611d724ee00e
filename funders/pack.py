"""The funder's pack: one ZIP per request with, for each action, the figures as XLSX, a PDF summary
with the charts and the association's identity, and the sign-in sheet of every event, course
session and date of a series.

Everything in the pack leaves the association: the figures come from
``tables.report_tables(suppressed=True)``, so every count from 1 to 4 reads
« < 5 » (``suppression``). The sign-in sheets are the signed proof funders
ask for and carry names by nature: they are printed by
``registrations.signin_sheet`` as the team prints them for the door (for
events whose names are not erased yet), and the
scans of the sheets signed on the day (``registrations.SignedSheet``,
uploaded in the event's « Inscriptions » tab) are added as they are.
"""

import io
import zipfile
from collections import defaultdict

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from wagtail.models import Site

from core.dates import format_date, to_local
from core.spreadsheets import write_xlsx_sheets
from events.models import CourseSession, EventSchedule, Occurrence, OccurrenceStatus
from funders import suppression
from funders.figures import action_report
from funders.tables import report_tables
from home.models import SiteSettings
from registrations import signin_sheet
from registrations.models import Registration, RegistrationStatus, SignedSheet

PDF_FAMILY = "source-sans-pro"


def pack_filename(actions, year=None):
    if year:
        return f"bilan-financeurs-{year}.zip"
    return f"bilan-{slugify(actions[0].title)[:60]}.zip"


def write_pack(actions, file, *, year=None):
    """Write the ZIP to a binary ``file``; returns the names of its entries."""
    identity = association_identity()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for action in actions:
            report = action_report(action, year=year)
            tables = report_tables(report, suppressed=True)
            folder = f"{action.pk}-{slugify(action.title)[:50]}"
            xlsx = io.BytesIO()
            write_xlsx_sheets([(table.title, table.as_rows()) for table in tables], xlsx)
            archive.writestr(f"{folder}/chiffres.xlsx", xlsx.getvalue())
            archive.writestr(f"{folder}/synthese.pdf", summary_pdf(report, tables, identity))
            events = [event for event, _registered, _present in report.events]
            for event, part in _sheets(_with_names(events), year):
                occurrence = part if isinstance(part, Occurrence) else None
                session = part if isinstance(part, CourseSession) else None
                name = signin_sheet.pdf_filename(event, occurrence, session=session)
                pdf = signin_sheet.render_pdf(event, blank_rows=0, occurrence=occurrence, session=session)
                archive.writestr(f"{folder}/emargements/{name}", pdf)
            for sheet in SignedSheet.objects.filter(page__in=events).select_related("page", "document"):
                archive.writestr(f"{folder}/emargements-signes/{_scan_name(sheet)}", _read(sheet.document))
        return archive.namelist()


def _sheets(events, year):
    """(event, part): one sheet per course session, per date of a series (not cancelled), else per event."""
    sessions, dates = defaultdict(list), defaultdict(list)
    for session in CourseSession.objects.filter(page__in=events).order_by("start", "pk"):
        sessions[session.page_id].append(session)
    for occurrence in Occurrence.objects.filter(event__in=events).exclude(status=OccurrenceStatus.CANCELLED):
        dates[occurrence.event_id].append(occurrence)
    for event in events:
        if event.schedule == EventSchedule.COURSE and sessions[event.pk]:
            parts = sessions[event.pk]
        elif event.schedule == EventSchedule.SERIES:
            parts = dates[event.pk]
        else:
            yield event, None
            continue
        for part in parts:
            if year is None or to_local(part.start).year == year:
                yield event, part


def _with_names(events):
    """The events whose sheet can still be printed: some confirmed registration not anonymised yet.

    Once every name is erased a reprinted sheet would only read « Anonyme »:
    the proof is then the scan signed on the day (``SignedSheet``).
    """
    named = set(
        Registration.objects.filter(
            event__in=events, status=RegistrationStatus.CONFIRMED, anonymized_at__isnull=True
        ).values_list("event_id", flat=True)
    )
    return [event for event in events if event.pk in named]


def _scan_name(sheet):
    """« <event>-<id>.<ext> »: unique in the folder, readable, with the uploaded file's extension."""
    extension = sheet.document.file_extension or "pdf"
    label = slugify(sheet.label)[:40]
    return f"{slugify(sheet.page.title)[:50]}{'-' + label if label else ''}-{sheet.pk}.{extension}"


def _read(document):
    with document.file.open("rb") as file:
        return file.read()


def association_identity():
    """(name, address lines, contact) of the association, from the default site's settings."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "", [], ""
    settings = SiteSettings.for_site(site)
    contact = " — ".join(part for part in (settings.email, settings.phone) if part)
    return site.site_name or "", [line for line in settings.address.splitlines() if line.strip()], contact


def summary_pdf(report, tables, identity):
    """The PDF summary: identity, the action, each table, its bars drawn with fpdf2, and the qualitative note."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    fonts = signin_sheet.unicode_font_files()
    if fonts:
        for style, path in fonts.items():
            pdf.add_font(PDF_FAMILY, style, path)
        family, text = PDF_FAMILY, signin_sheet.printable
    else:
        family, text = "helvetica", lambda value: signin_sheet.to_latin1(signin_sheet.printable(value))
    action = report.action
    name, address, contact = identity
    pdf.set_title(text(_("Bilan — %(title)s") % {"title": action.title}))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def line(value, size=10, style="", height=5):
        pdf.set_font(family, style, size)
        pdf.multi_cell(width, height, text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(name, 12, "B")
    for part in [*address, contact]:
        if part and part != name:
            line(part, 9)
    pdf.ln(4)
    line(action.title, 16, "B", 8)
    funders = ", ".join(
        [partner.name for partner in action.funders.all()] + ([action.funder_text] if action.funder_text else [])
    )
    if funders:
        line(_("Financeurs : %(names)s") % {"names": funders})
    if action.scheme:
        line(_("Dispositif : %(scheme)s") % {"scheme": action.scheme})
    line(
        _("Période : %(period)s — bilan établi le %(day)s")
        % {"period": report.period_label, "day": format_date(timezone.localdate())}
    )
    line(_("Les effectifs de 1 à 4 sont indiqués « < 5 » pour qu'aucune personne ne puisse être reconnue."), 8)
    for table in tables:
        pdf.ln(3)
        line(table.title, 12, "B", 7)
        _table(pdf, family, text, table)
        if table.chart and any(value for _label, value in table.chart):
            _bars(pdf, family, text, table.chart)
    if action.note:
        pdf.ln(3)
        line(_("Bilan qualitatif"), 12, "B", 7)
        line(action.note)
    return bytes(pdf.output())


def _table(pdf, family, text, table):
    columns = len(table.header)
    first = pdf.epw * (0.46 if columns > 2 else 0.7)
    widths = [first] + [(pdf.epw - first) / (columns - 1)] * (columns - 1)
    pdf.set_font(family, "B", 8)
    pdf.set_fill_color(230, 230, 230)
    for width, title in zip(widths, table.header, strict=True):
        pdf.cell(width, 6, _fit(pdf, text(title), width), border=1, fill=True)
    pdf.ln(6)
    pdf.set_font(family, "", 8)
    for row in table.rows:
        for width, value in zip(widths, row, strict=True):
            pdf.cell(width, 6, _fit(pdf, text(value), width), border=1)
        pdf.ln(6)


def _fit(pdf, value, width):
    """Shorten a cell's text with "..." until it fits (long event titles)."""
    if pdf.get_string_width(value) <= width - 2:
        return value
    while value and pdf.get_string_width(value + "...") > width - 2:
        value = value[:-1]
    return value + "..."


def _bars(pdf, family, text, items):
    """Horizontal bars; a small count (1 to 4) gets no bar, only « < 5 », so its length reveals nothing."""
    largest = max(value for _label, value in items) or 1
    label_width, bar_width = pdf.epw * 0.4, pdf.epw * 0.5
    pdf.set_font(family, "", 8)
    for label, value in items:
        if pdf.will_page_break(6):
            pdf.add_page()
        y = pdf.get_y() + 1
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width, 4, _fit(pdf, text(label), label_width))
        pdf.set_fill_color(227, 232, 236)
        pdf.rect(pdf.l_margin + label_width, y, bar_width, 4, style="F")
        if value and not suppression.is_small(value):
            pdf.set_fill_color(29, 91, 121)
            pdf.rect(pdf.l_margin + label_width, y, bar_width * value / largest, 4, style="F")
        pdf.set_xy(pdf.l_margin + label_width + bar_width + 2, y)
        pdf.cell(pdf.epw - label_width - bar_width - 2, 4, text(suppression.suppress(value)))
        pdf.set_y(y + 5)
