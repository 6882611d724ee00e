"""Small counts in anything that leaves the association: one rule, used by every export of the pack.

A count from 1 to 4 could point at someone (« 1 personne de 65 ans et plus
venue de Fontaine d'Ouche »): the XLSX sheets and the PDF summary show it as
« < 5 ». Zero reveals nobody and is shown. A share whose count is suppressed
is suppressed too. The admin screen, seen only by the team, shows exact figures.
"""

from django.utils.translation import gettext as _

THRESHOLD = 5


def is_small(count):
    return count is not None and 0 < count < THRESHOLD


def suppress(count):
    """The count, or « < 5 » when it is from 1 to 4."""
    return _("< %(n)d") % {"n": THRESHOLD} if is_small(count) else count


def suppress_share(part, whole):
    """A percentage (one decimal) of ``part`` in ``whole``, or « < 5 » / « — » when it would reveal or mean nothing."""
    if not whole:
        return "—"
    if is_small(part) or is_small(whole):
        return suppress(THRESHOLD - 1)
    return round(100 * part / whole, 1)
