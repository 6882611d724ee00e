"""French wording of dates: "jeudi 3 juillet 2025, 9 h 30 – 17 h", "1er juillet 2025 à 9 h".

The one formatter for pages, e-mails, PDFs, exports and feeds, so that every
place says the same thing ("1er juillet", "9 h 30"). Times are shown in the
site's local time (Europe/Paris) whatever the server's time zone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Between an hour and its "h", and before the dash of a time range: "17 h" never breaks as "17 / h".
NBSP = "\u00a0"


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def to_local(value):
    """The value as a wall-clock datetime in the site's time zone."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        return value
    return value.astimezone(local_zone())


def format_time(value):
    """ "9 h", "9 h 30", "17 h 05": French style, minutes omitted on the hour, spaces non-breaking."""
    if value.minute == 0:
        text = _("%(hour)d h") % {"hour": value.hour}
    else:
        text = _("%(hour)d h %(minute)02d") % {"hour": value.hour, "minute": value.minute}
    return text.replace(" ", NBSP)


def day_number(day):
    # French writes the first day of a month as an ordinal ("1er juillet").
    return _("1er") if day.day == 1 else str(day.day)


def format_date(day):
    """ "3 juillet 2025", "1er juillet 2025": a date in running text (news, articles)."""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return f"{day_number(day)} {dateformat.format(day, 'F')} {day.year}"


def format_datetime(value):
    """ "3 juillet 2025 à 9 h", "1er juillet 2025 à 9 h 30": a moment in running text, local time."""
    local = to_local(value)
    return _("%(day)s à %(time)s") % {"day": format_date(local.date()), "time": format_time(local)}


# The usual French abbreviations (Django's own say "jan." and "fév.").
SHORT_MONTHS = [
    gettext_lazy(name)
    for name in ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
]


def format_short_month(day):
    """ "déc.": the month of a date badge (local time for a datetime)."""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return str(SHORT_MONTHS[day.month - 1])


def format_month(day):
    """ "mars 2026": a month in reports and charts."""
    return f"{dateformat.format(day, 'F')} {day.year}"


def format_short_date(day):
    """ "03/07/2025": dates in spreadsheets and tables, where columns must line up."""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return day.strftime("%d/%m/%Y")


def format_short_datetime(value):
    """ "03/07/2025 09:30" in local time, for spreadsheets; empty for no value."""
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def format_day(day, with_year=True):
    """ "jeudi 3 juillet 2025", or "jeudi 3 juillet" without the year."""
    if isinstance(day, datetime):
        day = day.date()
    text = f"{dateformat.format(day, 'l')} {day_number(day)} {dateformat.format(day, 'F')}"
    if with_year:
        text = f"{text} {day.year}"
    return text


def _format_day_range(first, last):
    """Two different days, sharing the month and the year when they can."""
    if first.year != last.year:
        start_text = format_day(first)
    elif first.month != last.month:
        start_text = format_day(first, with_year=False)
    else:
        start_text = f"{dateformat.format(first, 'l')} {day_number(first)}"
    return _("du %(start)s au %(end)s") % {"start": start_text, "end": format_day(last)}


def format_event_dates(start, end=None, all_day=False):
    """The dates of an event in French, in local time.

    - same day with times: "jeudi 3 juillet 2025, 9 h 30 – 17 h" (non-breaking spaces
      inside the times and before the dash, see format_time)
    - no end: "jeudi 3 juillet 2025, 9 h 30"
    - all day: "jeudi 3 juillet 2025" or "du jeudi 3 au samedi 5 juillet 2025"
    - several days with times: "du jeudi 3 juillet à 9 h 30 au samedi 5 juillet 2025 à 17 h"
    """
    start = to_local(start)
    end = to_local(end) if end else None
    start_day = start.date() if isinstance(start, datetime) else start
    end_day = (end.date() if isinstance(end, datetime) else end) if end else None
    timed = not all_day and isinstance(start, datetime)

    if end_day is None or end_day == start_day:
        text = format_day(start_day)
        if not timed:
            return text
        if end is None or end == start:
            return f"{text}, {format_time(start)}"
        return f"{text}, {format_time(start)}{NBSP}– {format_time(end)}"

    if not timed or not isinstance(end, datetime):
        return _format_day_range(start_day, end_day)
    start_text = format_day(start_day, with_year=start_day.year != end_day.year)
    return _("du %(start_day)s à %(start_time)s au %(end_day)s à %(end_time)s") % {
        "start_day": start_text,
        "start_time": format_time(start),
        "end_day": format_day(end_day),
        "end_time": format_time(end),
    }


def event_local_days(start, end=None):
    """First and last local calendar days of an event (for all-day events and feeds)."""
    first = to_local(start).date() if isinstance(start, datetime) else start
    if end is None:
        return first, first
    last = to_local(end).date() if isinstance(end, datetime) else end
    return first, max(first, last)
