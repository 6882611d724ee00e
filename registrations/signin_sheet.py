"""The sign-in sheet ("feuille d'émargement") of an event, as data, as PDF (fpdf2) and as printable HTML.

Funders ask for a signed list of attendees. ``signin_sheet_data()`` gathers
what both renderings show; ``render_pdf()`` draws an A4 portrait PDF with the
header (title, date, place, partners' logos, column titles) repeated on each
page and "Page 1/3" at the foot.

Font: the PDF embeds Source Sans Pro (TrueType, regular and bold), which the
``font-source-sans-pro`` package pinned in requirements.txt installs as plain
files: nothing is downloaded or looked up on the system at run time. It covers
Latin with all its European and Vietnamese letters (Nguyễn, Şahin, Łukasz,
Ørsted…), Greek and Cyrillic, and the typographic signs (’ « » – … œ €), so
names print as typed. fpdf2 embeds only the glyphs a sheet uses.

Should the font files be missing (a broken install), the sheet still prints
with fpdf2's built-in Helvetica, which covers Latin-1 only: common typographic
signs outside it are then replaced by close equivalents and any other
character by "?" (see ``to_latin1()``), and a warning is logged. The HTML
version shows every character as typed either way.
"""

import copy
import io
import logging
import re
from importlib import resources
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from home.models import SiteSettings
from registrations.booking import BookableUnit
from registrations.models import Attendee, RegistrationStatus, SessionPresence

logger = logging.getLogger(__name__)

DEFAULT_BLANK_ROWS = 10
MAX_BLANK_ROWS = 200
LOGO_FILTER = "max-400x160|format-png"

# The Unicode font: {fpdf2 style: file name} inside the font-source-sans-pro package.
FONT_PACKAGE = "font_source_sans_pro"
FONT_FILES = {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}
FONT_FAMILY = "source-sans-pro"
FALLBACK_FAMILY = "helvetica"
# Control characters (a line break pasted from Word as "\x0b"…) have no glyph: each run prints as one space.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

TYPOGRAPHIC_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u20ac": "EUR",
    "\u202f": " ",
    "\u2009": " ",
}


def printable(text):
    """Text as one printable line: control characters (line breaks included) become spaces."""
    return CONTROL_CHARACTERS.sub(" ", str(text or ""))


def to_latin1(text):
    """Text that Helvetica can draw: typographic signs simplified, anything else outside Latin-1 as "?"."""
    text = str(text or "")
    for sign, replacement in TYPOGRAPHIC_REPLACEMENTS.items():
        text = text.replace(sign, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def unicode_font_files():
    """{style: Path} of the Unicode TrueType font files, or None when the package or a file is missing."""
    try:
        folder = resources.files(FONT_PACKAGE) / "files"
    except ModuleNotFoundError:
        return None
    paths = {style: Path(str(folder / name)) for style, name in FONT_FILES.items()}
    if not all(path.is_file() for path in paths.values()):
        return None
    return paths


def _setup_font(pdf):
    """Register the Unicode font on ``pdf``; return (font family, function that makes text drawable)."""
    paths = unicode_font_files()
    if paths is None:
        logger.warning("Police Unicode introuvable (%s) : feuille d'émargement en Helvetica (Latin-1).", FONT_PACKAGE)
        return FALLBACK_FAMILY, lambda text: to_latin1(printable(text))
    for style, path in paths.items():
        pdf.add_font(FONT_FAMILY, style, path)
    return FONT_FAMILY, printable


def signin_sheet_data(event, *, blank_rows=DEFAULT_BLANK_ROWS, occurrence=None, session=None):
    """What the sheet shows: event facts, partners, one line per person confirmed (by last name), blank rows.

    For one date of a series (``occurrence``): that date's people, its date and its venue.
    With ``session`` (one session of a course), the sheet is that session's:
    its date and place, its number in the title, and who was checked in at it.
    """
    unit = BookableUnit(event, occurrence)
    attendees = list(
        Attendee.objects.filter(
            registration__in=unit.registrations,
            registration__status=RegistrationStatus.CONFIRMED,
            cancelled_at__isnull=True,
        )
        .select_related("registration")
        .order_by("last_name", "first_name", "registration_id", "position")
    )
    partners = [
        link.partner
        for link in event.event_partners.select_related("partner", "partner__logo").order_by("sort_order", "pk")
    ]
    partners += [funder for funder in settings_funders(event) if funder.pk not in {p.pk for p in partners}]
    data = {
        "event": event,
        "when": unit.dates_display,
        "place": unit.venue.full_address if unit.venue else "",
        "heading": _("Feuille d'émargement"),
        "session": session,
        "partners": partners,
        "attendees": attendees,
        "blank_rows": range(max(0, min(blank_rows, MAX_BLANK_ROWS))),
    }
    if session is not None:
        data.update(session_facts(event, session, attendees))
    return data


def session_facts(event, session, attendees, present=None):
    """The parts of a sheet that belong to one session: title, date, place, and each person's recorded presence.

    ``present``: the ids of the attendees checked in at it (read here when not given).
    """
    sessions = event.course_sessions
    number = next((index for index, item in enumerate(sessions, 1) if item.pk == session.pk), 0)
    if present is None:
        present = set(session.presences.values_list("attendee_id", flat=True))
    for attendee in attendees:
        attendee.session_present = attendee.pk in present
    venue = session.venue if session.venue_id else event.venue
    return {
        "heading": _("Feuille d'émargement — séance %(number)d sur %(total)d, %(when)s")
        % {"number": number, "total": len(sessions), "when": session.dates_display},
        "when": session.dates_display,
        "place": venue.full_address if venue else "",
        "number": number,
    }


def course_sheets(event, *, blank_rows=DEFAULT_BLANK_ROWS):
    """One sheet per session of a course, in date order (« toutes les séances »), in a fixed number of queries."""
    base = signin_sheet_data(event, blank_rows=blank_rows)
    presences = set(
        SessionPresence.objects.filter(session__page=event).values_list("session_id", "attendee_id").iterator()
    )
    sheets = []
    for session in event.course_sessions:
        attendees = [copy.copy(attendee) for attendee in base["attendees"]]  # each sheet marks its own
        present = {attendee for session_id, attendee in presences if session_id == session.pk}
        sheet = {**base, "attendees": attendees, "session": session}
        sheet.update(session_facts(event, session, attendees, present))
        sheets.append(sheet)
    return sheets


def settings_funders(event):
    """The funders the site settings print on every sheet (after the event's own partners)."""
    site = event.get_site()
    if site is None:
        return []
    return list(SiteSettings.for_site(site).signin_sheet_funders.select_related("logo").order_by("sort_order", "name"))


def attendee_name(attendee):
    """« NOM Prénom », the way sign-in sheets are read."""
    return f"{attendee.last_name.upper()} {attendee.first_name}".strip()


def _logo_bytes(partner):
    """PNG bytes of a partner's logo rendition, or None (a broken image never blocks the sheet)."""
    if not partner.logo_id:
        return None
    try:
        rendition = partner.logo.get_rendition(LOGO_FILTER)
        with rendition.file.open("rb") as file:
            return io.BytesIO(file.read())
    except Exception:  # noqa: BLE001 - any storage or image error: print the sheet without this logo
        logger.warning("Logo illisible pour le partenaire %s", partner.pk, exc_info=True)
        return None


def _fit(pdf, text, width):
    """Shorten text with "..." until it fits the cell width."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text + "..."


def render_pdf(event, *, blank_rows=DEFAULT_BLANK_ROWS, occurrence=None, session=None, sheets=None):
    """The sign-in sheet as PDF bytes (A4 portrait); ``sheets`` (``course_sheets``) prints one after the other.

    ``occurrence``: the sheet of one date of a series.

    A session's sheet has a « Pointage » column: « présent·e » for whom staff checked in at that session.
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    sheets = sheets or [signin_sheet_data(event, blank_rows=blank_rows, occurrence=occurrence, session=session)]
    logos = [logo for logo in (_logo_bytes(partner) for partner in sheets[0]["partners"]) if logo]

    def columns_of(data):
        if data["session"] is None:
            return [(10, _("N°")), (62, _("Nom et prénom")), (55, _("Structure")), (63, _("Signature"))]
        return [
            (10, _("N°")),
            (55, _("Nom et prénom")),
            (45, _("Structure")),
            (25, _("Pointage")),
            (55, _("Signature")),
        ]

    class SheetPDF(FPDF):
        sheet = sheets[0]

        def header(self):
            data = self.sheet
            self.set_font(family, "B", 14)
            self.multi_cell(0, 7, drawable(event.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(family, "", 10)
            self.cell(0, 6, drawable(data["when"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if data["place"]:
                self.cell(0, 6, drawable(data["place"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if logos:
                y = self.get_y() + 1
                x = self.l_margin
                for logo in logos:
                    logo.seek(0)
                    info = self.image(logo, x=x, y=y, h=12)
                    x += info.rendered_width + 6
                self.set_y(y + 14)
            self.set_font(family, "B", 11)
            self.multi_cell(0, 8, drawable(data["heading"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(family, "B", 9)
            self.set_fill_color(230, 230, 230)
            for width, title in columns_of(data):
                self.cell(width, 7, drawable(title), border=1, fill=True)
            self.ln(7)

        def footer(self):
            self.set_y(-12)
            self.set_font(family, "", 8)
            label = _("Page %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
            self.cell(0, 6, drawable(label), align="C")

    pdf = SheetPDF(orientation="P", unit="mm", format="A4")
    family, drawable = _setup_font(pdf)
    pdf.set_title(drawable(_("Feuille d'émargement — %(title)s") % {"title": event.title}))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(10, 10, 10)
    row_height = 10
    for data in sheets:
        pdf.sheet = data
        pdf.add_page()
        pdf.set_font(family, "", 10)
        columns = columns_of(data)
        number = 0
        for attendee in data["attendees"]:
            number += 1
            cells = [str(number), attendee_name(attendee), attendee.registration.organisation]
            if data["session"] is not None:
                cells.append(_("présent·e") if attendee.session_present else "")
            cells.append("")
            for (width, _title), text in zip(columns, cells, strict=True):
                pdf.cell(width, row_height, _fit(pdf, drawable(text), width - 2), border=1)
            pdf.ln(row_height)
        for _blank in data["blank_rows"]:
            number += 1
            for index, (width, _title) in enumerate(columns):
                pdf.cell(width, row_height, str(number) if index == 0 else "", border=1)
            pdf.ln(row_height)
    return bytes(pdf.output())


def pdf_filename(event, occurrence=None, *, session=None, all_sessions=False):
    """emargement-<slug>-<day>.pdf; a date's or a session's sheet is named by its own day (and a session's number)."""
    dated = session or occurrence
    day = timezone.localtime(dated.start if dated is not None else event.start).date().isoformat()
    if all_sessions:
        return f"emargement-{event.slug}-{day}-toutes-les-seances.pdf"
    if session is not None:
        number = next((index for index, item in enumerate(event.course_sessions, 1) if item.pk == session.pk), 0)
        return f"emargement-{event.slug}-{day}-seance-{number}.pdf"
    return f"emargement-{event.slug}-{day}.pdf"
