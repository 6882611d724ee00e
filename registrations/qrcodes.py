"""The check-in QR code of a registration, drawn in Python with segno (no image library, no network).

One code per registration: scanned at the door (``services.check_in_by_code``)
it checks in every person still booked on it. It holds only the signed value
of ``tokens.make_check_in_value`` (event id and random token), nothing
personal. The e-mails carry it as a PNG image, the self-service page as inline
SVG.
"""

import io

import segno
from django.utils.translation import gettext as _

from registrations import tokens

PNG_SCALE = 6
SVG_SCALE = 5


def check_in_qr(registration):
    # Level M (15 % redundancy): still read from a cracked phone screen or a creased print-out.
    return segno.make(tokens.make_check_in_value(registration), error="m", micro=False)


def check_in_png(registration):
    """PNG bytes of the code, with the four-module quiet zone readers need."""
    buffer = io.BytesIO()
    check_in_qr(registration).save(buffer, kind="png", scale=PNG_SCALE, border=4)
    return buffer.getvalue()


def check_in_svg(registration):
    """The code as an SVG element to put in a page, with a French text alternative (``role="img"`` + title).

    Drawn black on white whatever the page's colours: readers need the contrast.
    """
    svg = check_in_qr(registration).svg_inline(
        scale=SVG_SCALE,
        border=4,
        dark="#000",
        light="#fff",
        title=_("Code QR d'entrée de %(name)s") % {"name": registration.full_name},
        svgclass="check-in-code",
        lineclass=None,
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
