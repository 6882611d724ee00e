"""Charts drawn on the server as SVG (no JavaScript, no library): horizontal bars and progress bars.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a description
that say the figures in words; the report shows the same figures in a table
beside it, so nothing is only in the picture.
"""

from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 22, 8, 260, 320, 60
COLOUR, TRACK, TEXT = "#1d5b79", "#e3e8ec", "#1b1b1b"


def _attr(text):
    return escape(str(text), {'"': "&quot;"})


def bar_chart(title, items):
    """Horizontal bars for [(label, value)], scaled to the largest value."""
    items = list(items)
    largest = max((value for _label, value in items), default=0) or 1
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    description = "; ".join(f"{label} : {value}" for label, value in items) or _("aucune donnée")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" aria-label="{_attr(title)}">',
        f"<title>{escape(str(title))}</title><desc>{escape(description)}</desc>",
    ]
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = round(BAR_WIDTH * value / largest, 1)
        middle = y + BAR_HEIGHT / 2 + 5
        short = str(label) if len(str(label)) <= 32 else str(label)[:31] + "…"
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(short)}</text>",
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="{TRACK}"/>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>',
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{middle}" font-size="14" fill="{TEXT}">{value}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def progress_bar(label, ratio, value_text):
    """One target: a track and the part reached (``ratio`` from 0 to 1, None when unknown)."""
    width, height = BAR_WIDTH + VALUE_WIDTH * 3, 18
    filled = round(BAR_WIDTH * float(ratio or 0), 1)
    colour = "#2e7d32" if ratio is not None and ratio >= 1 else COLOUR
    return mark_safe(  # noqa: S308 - every text is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" aria-label="{_attr(label)} : {_attr(value_text)}">'
        f'<rect x="0" y="0" width="{BAR_WIDTH}" height="{height}" rx="4" fill="{TRACK}"/>'
        f'<rect x="0" y="0" width="{filled}" height="{height}" rx="4" fill="{colour}"/>'
        f'<text x="{BAR_WIDTH + 8}" y="14" font-size="13" fill="{TEXT}">{escape(str(value_text))}</text></svg>'
    )
