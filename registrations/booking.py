"""The bookable unit: what one registration books, and so what owns seats, a waiting list and a lock.

An event with one date (``EventSchedule.SINGLE``) or a course (``COURSE``,
one registration for every session) is its own unit; for a series
(``SERIES``) each date (``events.Occurrence``) is a unit of its own, with its
capacity, its waiting list and its lock, so that two dates of one series
never wait for each other. ``services`` takes every seat decision on a unit;
this module only answers what a unit is.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.compiled_queries import CompiledQuery
from core.dates import format_event_dates
from events.models import EventPage, EventSchedule, EventStatus, Occurrence
from registrations.models import Registration


class NotBookable(Exception):
    """The (event, date) pair names nothing one can register for; ``message`` is French."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class BookableUnit:
    """An event, or one date of a series: its seats, dates, status, registrations and lock.

    The registration settings (mode, waiting list, offers, seats per person,
    address check) always come from the event; the seats, the dates and the
    venue from the date when there is one.
    """

    event: EventPage
    occurrence: Occurrence | None = None

    @classmethod
    def of(cls, event, occurrence=None):
        """The unit of ``event`` (and ``occurrence`` for a series); refuses a pair that does not hold together."""
        if occurrence is not None:
            if occurrence.event_id != event.pk:
                raise NotBookable(_("Cette date n'appartient pas à cet événement."))
            if event.schedule != EventSchedule.SERIES:
                raise NotBookable(_("Cet événement n'a pas de dates à choisir."))
            occurrence.event = event  # one object: settings read from the same row the caller holds
        elif event.schedule == EventSchedule.SERIES:
            raise NotBookable(_("Choisissez une date : chaque date de cette série a ses propres places."))
        return cls(event, occurrence)

    @classmethod
    def of_registration(cls, registration):
        """The unit a registration booked (its date for a series, else its event)."""
        return cls(registration.event, registration.occurrence if registration.occurrence_id else None)

    @property
    def key(self):
        """A hashable identity: ``(event id, occurrence id or None)``."""
        return (self.event.pk, self.occurrence.pk if self.occurrence else None)

    @property
    def capacity(self):
        """Seats of the unit; None means no limit."""
        return self.occurrence.effective_capacity if self.occurrence else self.event.capacity

    @property
    def start(self):
        return self.occurrence.start if self.occurrence else self.event.start

    @property
    def end(self):
        return self.occurrence.end if self.occurrence else self.event.end

    @property
    def venue(self):
        if self.occurrence:
            return self.occurrence.effective_venue
        return self.event.venue if self.event.venue_id else None

    @property
    def is_cancelled(self):
        """The date or its whole event is cancelled: nobody registers, nobody is promoted."""
        if self.occurrence:
            return self.occurrence.is_cancelled
        return self.event.status == EventStatus.CANCELLED

    @property
    def dates_display(self):
        """The unit's dates in French, as pages and e-mails name them."""
        if self.occurrence:
            return format_event_dates(self.occurrence.start, self.occurrence.end, self.event.all_day)
        return self.event.dates_display

    @property
    def registrations(self):
        """The registrations of this unit only (a date's own, or the event's without a date)."""
        if self.occurrence:
            return registrations_of_occurrence(self.occurrence.pk)
        return registrations_of_event(self.event.pk)

    @property
    def saved(self):
        """False for an event never saved (an editor's preview): it has no registrations yet."""
        return self.event.pk is not None and (self.occurrence is None or self.occurrence.pk is not None)

    def lock(self):
        """Lock the unit's row for the rest of the transaction; returns the unit freshly read.

        PostgreSQL: ``SELECT … FOR UPDATE OF`` the occurrence row for a date of
        a series (the other dates stay free), the event row otherwise. SQLite
        ignores ``select_for_update``: its transactions are ``IMMEDIATE``
        (the database's write lock, taken at ``BEGIN``).
        """
        if self.occurrence is None:
            event = LOCKED_EVENT.first(self.event.pk)
            if event is None:
                raise EventPage.DoesNotExist("Event page matching query does not exist.")
            return BookableUnit(event)
        occurrence = (
            Occurrence.objects.select_for_update(of=("self",))
            .select_related("event", "venue", "event__venue")
            .get(pk=self.occurrence.pk)
        )
        return BookableUnit(occurrence.event, occurrence)


def registrations_of_event(event_id):
    """The registrations of an event without dates (a course, a single event)."""
    return Registration.objects.filter(event_id=event_id, occurrence__isnull=True)


def registrations_of_occurrence(occurrence_id):
    """The registrations of one date of a series."""
    return Registration.objects.filter(occurrence_id=occurrence_id)


# The lock every seat decision of an event takes: its SQL built once per process (``core.compiled_queries``).
LOCKED_EVENT = CompiledQuery(lambda pk: EventPage.objects.select_for_update(of=("self",)).filter(pk=pk), int)
