"""The agenda's entries: which event is shown on which day, and the month grid built from them.

An *entry* is one ``(day, event, occurrence)``: an event on one page yields
an entry per day it covers; a series (``EventSchedule.SERIES``) yields one per
date (``Occurrence``), read from ``event.agenda_occurrences`` (the caller
prefetches the dates of the period, so that the month view's queries do not
grow with the number of dates). Every dated listing reads this one function.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from core.dates import event_local_days

# Months the month view serves: beyond them its URLs answer 404 (and crawlers stop following « mois suivant »).
FIRST_YEAR = 2000
LAST_YEAR = 2100
SERIES = "series"  # EventSchedule.SERIES (the models import this module)
CANCELLED = "cancelled"


class Entry(NamedTuple):
    """An event on one day; ``occurrence`` is the date of a series, None for other events."""

    day: date
    event: object
    occurrence: object = None

    @property
    def is_cancelled(self):
        return self.event.status == CANCELLED or (self.occurrence is not None and self.occurrence.status == CANCELLED)

    @property
    def is_postponed(self):
        return self.occurrence is None and self.event.is_postponed

    @property
    def start(self):
        return (self.occurrence or self.event).start


def event_days(event):
    """The local (Paris) days an event covers, first and last included (the feeds' rule)."""
    return event_local_days(event.start, event.end)


def course_session_days(event):
    """The local days of a course's sessions (a course is shown on those days only), or None for other events.

    Reads ``event.sessions`` as the caller prefetched them.
    """
    if not getattr(event, "is_course", False):
        return None
    days = set()
    for session in event.sessions.all():
        first, last = event_local_days(session.start, session.end)
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return sorted(days) or None


def agenda_entries(events, first_day, last_day):
    """An ``Entry`` for every day from ``first_day`` to ``last_day`` on which an event takes place.

    Sorted by day, then by start (an event over several days first).
    """
    entries = []
    for event in events:
        if getattr(event, "schedule", None) == SERIES:
            for occurrence in getattr(event, "agenda_occurrences", ()):
                day = event_days(occurrence)[0]
                if first_day <= day <= last_day:
                    entries.append(Entry(day, event, occurrence))
            continue
        session_days = course_session_days(event)
        if session_days is not None:
            entries.extend(Entry(day, event) for day in session_days if first_day <= day <= last_day)
            continue
        start, end = event_days(event)
        day = max(start, first_day)
        while day <= min(end, last_day):
            entries.append(Entry(day, event))
            day += timedelta(days=1)
    entries.sort(key=lambda entry: (entry.day, entry.start))  # stable: equal starts keep the events' order
    return entries


def valid_month(year, month):
    """True for a month the month view serves."""
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def month_range(year, month):
    """The first and last days of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def shift_month(year, month, delta):
    """(year, month) ``delta`` months away, or None outside the months served."""
    index = year * 12 + (month - 1) + delta
    shifted = divmod(index, 12)
    shifted = (shifted[0], shifted[1] + 1)
    return shifted if valid_month(*shifted) else None


@dataclass
class GridDay:
    """One cell of the month grid."""

    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


def month_weeks(year, month, entries, today):
    """The month's weeks (Monday first), each a list of seven ``GridDay`` holding that day's entries."""
    by_day = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    return [
        [
            GridDay(day, day.month == month, day == today, by_day.get(day, []) if day.month == month else [])
            for day in week
        ]
        for week in weeks
    ]
