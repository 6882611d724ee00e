"""The counts of registrations: one definition of each figure, for the admin, the reports and the seats.

Pure aggregate expressions over registrations (``prefix=""``) or over events
joined to their registrations (``prefix="registrations__"``), so that every
place that says "places confirmées" computes it the same way. The words are
defined in ``registrations/reports.py``.
"""

from dataclasses import dataclass

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from registrations.choices import EXPIRING_STATUSES, RegistrationStatus

CONFIRMED = Q(status=RegistrationStatus.CONFIRMED)
PRESENT = Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)


def holding(now, prefix=""):
    """Offers and unconfirmed addresses that still hold seats at ``now`` (an expired hold holds nothing)."""
    return Q(
        **{
            f"{prefix}status__in": EXPIRING_STATUSES,
            f"{prefix}holds_seats": True,
            f"{prefix}expires_at__gt": now,
        }
    )


def expired(now, prefix=""):
    """Offers and unconfirmed addresses past their deadline, still waiting to be released under the lock."""
    return Q(**{f"{prefix}status__in": EXPIRING_STATUSES, f"{prefix}expires_at__lte": now})


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


def held_seats(now, prefix=""):
    """Seats unavailable to anyone else at ``now``: confirmed, plus offers and unconfirmed addresses holding them.

    The one definition of "taken" behind the seats left (public badge, admin
    tiles, the staff button and every seat decision).
    """
    return Coalesce(Sum(f"{prefix}seats", filter=prefixed(CONFIRMED, prefix) | holding(now, prefix)), 0)


def waiting_count(prefix=""):
    """People on the waiting list (registrations, not seats)."""
    return Count(f"{prefix}id", filter=Q(**{f"{prefix}status": RegistrationStatus.WAITLISTED}))


def smallest_waiting_request(prefix=""):
    """The fewest seats a waiting person asks for (None when nobody waits): does anyone waiting fit?"""
    return Min(f"{prefix}seats", filter=Q(**{f"{prefix}status": RegistrationStatus.WAITLISTED}))


def expired_count(now, prefix=""):
    return Count(f"{prefix}id", filter=expired(now, prefix))


def seat_aggregates(now):
    """What a seat decision needs, in one query: seats held, who waits, expired holds to release first."""
    return {
        "held": held_seats(now),
        "waiting": waiting_count(),
        "smallest_waiting": smallest_waiting_request(),
        "expired": expired_count(now),
    }


def figure_aggregates(prefix="", now=None):
    """Every figure of ``EventFigures`` as aggregate expressions (holds counted as of ``now``)."""
    pk = f"{prefix}id"
    now = now or timezone.now()

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
        "offered": status(RegistrationStatus.OFFERED),
        "unverified": status(RegistrationStatus.UNVERIFIED),
        "held": held_seats(now, prefix),
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
    offered: int = 0
    unverified: int = 0
    held: int = 0  # confirmed seats plus the seats offers and unconfirmed addresses hold (``held_seats``)
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
        return max(self.capacity - self.held, 0)

    @property
    def seats_on_hold(self):
        """Seats held for an offer's answer or an address's click (not yet confirmed)."""
        return self.held - self.confirmed


def event_figures(event, *, now=None, occurrence=None):
    """The counts of one event, or of one date of a series (``occurrence``), in one query.

    An event never saved has none. For a series without a date, the counts
    add up all its dates (``occurrence_figures`` gives each date's).
    """
    now = now or timezone.now()
    if occurrence is not None:
        values = occurrence.registrations.aggregate(**figure_aggregates(now=now))
        return EventFigures(**values, capacity=occurrence.effective_capacity, started=occurrence.start <= now)
    values = event.registrations.aggregate(**figure_aggregates(now=now)) if event.pk else {}
    return EventFigures(**values, capacity=event.capacity, started=event.start <= now)


def occurrence_figures(event, *, now=None):
    """``EventFigures`` of every date of a series, ``[(occurrence, figures)]`` in date order, in two queries."""
    now = now or timezone.now()
    occurrences = list(event.occurrences.select_related("venue").order_by("start", "pk"))
    rows = (
        event.registrations.filter(occurrence__in=occurrences)
        .values("occurrence_id")
        .order_by()
        .annotate(**figure_aggregates(now=now))
    )
    values = {row.pop("occurrence_id"): row for row in rows}
    result = []
    for occurrence in occurrences:
        occurrence.event = event
        figures = EventFigures(
            **values.get(occurrence.pk, {}), capacity=occurrence.effective_capacity, started=occurrence.start <= now
        )
        result.append((occurrence, figures))
    return result


# Courses: presence per session and completion, read from the presence rows (``SessionPresence``).
# Only confirmed, non-cancelled seats count, as for « présent·es ».
ATTENDING_PERSON = Q(attendee__cancelled_at__isnull=True, attendee__registration__status=RegistrationStatus.CONFIRMED)


@dataclass(frozen=True)
class SessionFigure:
    session: object  # events.CourseSession
    present: int


@dataclass(frozen=True)
class CourseFigures:
    """A course's attendance: who came to each session, who followed it all (« parcours complet »)."""

    sessions: tuple = ()  # SessionFigure, in date order
    people: int = 0  # confirmed people (active attendees of confirmed registrations)
    completed: int = 0  # present at every session
    attended: int = 0  # present at one session at least

    @property
    def completion_rate(self):
        """Completed / confirmed people, as a fraction (None without anyone)."""
        return self.completed / self.people if self.people else None


def course_figures(event):
    """The attendance figures of a course (``EventSchedule.COURSE``), in two queries.

    The sessions with their presence counts, then each confirmed person's number
    of sessions attended.
    """
    present = Count("presences", filter=prefixed(ATTENDING_PERSON, "presences__"))
    sessions = list(event.sessions.order_by("start", "pk").select_related("venue").annotate(present=present))
    counts = list(
        event.registrations.filter(CONFIRMED, attendees__cancelled_at__isnull=True)
        .values("attendees")
        .annotate(attended=Count("attendees__session_presences"))
        .values_list("attended", flat=True)
    )
    return CourseFigures(
        sessions=tuple(SessionFigure(session, session.present) for session in sessions),
        people=len(counts),
        completed=sum(1 for count in counts if sessions and count >= len(sessions)),
        attended=sum(1 for count in counts if count >= 1),
    )
