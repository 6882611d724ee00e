"""The counts of registrations: one definition of each figure, for the admin, the reports and the seats.

Pure aggregate expressions over registrations (``prefix=""``) or over events
joined to their registrations (``prefix="registrations__"``), so that every
place that says "places confirmées" computes it the same way. The words are
defined in ``registrations/reports.py``.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from registrations.choices import RegistrationStatus

CONFIRMED = Q(status=RegistrationStatus.CONFIRMED)
PRESENT = Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)


def prefixed(condition, prefix="registrations__"):
    """A Q over registrations (``CONFIRMED``, ``PRESENT``) rewritten to be read from their events."""
    return Q(**{f"{prefix}{key}": value for key, value in condition.children})


def confirmed_seats(prefix=""):
    """Seats held by confirmed registrations (pending and waiting people hold none); 0 when there are none."""
    return Coalesce(Sum(f"{prefix}seats", filter=prefixed(CONFIRMED, prefix)), 0)


def present_people(prefix="", condition=None):
    """People checked in (each attendee counts once) in confirmed registrations; ``condition`` narrows them."""
    present = prefixed(PRESENT, prefix)
    if condition is not None:
        present &= condition
    return Coalesce(Sum(f"{prefix}seats_present", filter=present), 0)


def waiting_count(prefix=""):
    """People on the waiting list (registrations, not seats)."""
    return Count(f"{prefix}id", filter=Q(**{f"{prefix}status": RegistrationStatus.WAITLISTED}))


def figure_aggregates(prefix=""):
    """Every figure of ``EventFigures`` as aggregate expressions."""
    pk = f"{prefix}id"

    def status(value):
        return Count(pk, filter=Q(**{f"{prefix}status": value}))

    return {
        "requests": Count(pk),
        "confirmed": confirmed_seats(prefix),
        "present": present_people(prefix),
        "confirmed_registrations": Count(pk, filter=prefixed(CONFIRMED, prefix)),
        "present_registrations": Count(pk, filter=prefixed(PRESENT, prefix)),
        "pending": status(RegistrationStatus.PENDING),
        "waitlisted": waiting_count(prefix),
        "cancelled": status(RegistrationStatus.CANCELLED),
        "rejected": status(RegistrationStatus.REJECTED),
    }


def absence_rate(confirmed, present, *, started=True):
    """(confirmed − present) / confirmed as a fraction, or None when it means nothing yet."""
    if not started or not confirmed:
        return None
    return (confirmed - present) / confirmed


@dataclass(frozen=True)
class EventFigures:
    """The counts of one event (or of a group of events), as defined in ``registrations/reports.py``."""

    requests: int = 0
    confirmed: int = 0
    present: int = 0
    confirmed_registrations: int = 0
    present_registrations: int = 0
    pending: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    rejected: int = 0
    capacity: int | None = None
    started: bool = False
    # For groups of events: the confirmed and present seats of the events that have started only.
    confirmed_started: int | None = None
    present_started: int | None = None

    @property
    def absence_rate(self):
        if self.confirmed_started is not None:
            return absence_rate(self.confirmed_started, self.present_started or 0)
        return absence_rate(self.confirmed, self.present, started=self.started)

    @property
    def seats_remaining(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)


def event_figures(event, *, now=None):
    """The counts of one event, in one query (none for an event never saved)."""
    now = now or timezone.now()
    values = event.registrations.aggregate(**figure_aggregates()) if event.pk else {}
    return EventFigures(**values, capacity=event.capacity, started=event.start <= now)
