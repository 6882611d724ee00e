"""Figures for the team and for funders: per event and over a period.

Pure functions over database aggregates: each runs a fixed number of queries
whatever the number of events or registrations. Definitions (the words used in
the admin and in the XLSX export):

- **demandes**: every registration ever made for the event, whatever its
  status now (confirmed, pending, waitlisted, cancelled or rejected);
- **confirmées**: registrations confirmed now, counted in seats (people);
- **présentes**: the people of confirmed registrations checked in at the
  door, one per person (``Attendee``): two of a group of three who came
  count 2;
- **taux d'absence**: (confirmées − présentes) / confirmées, only for events
  that have started and have confirmed seats (otherwise undefined);
- **liste d'attente**: registrations waiting now;
- **en attente de validation**: pending requests (review mode);
- **annulations**: registrations cancelled (by the person or by the team);
- **refus**: requests the team rejected;
- **personnes différentes** (period): distinct people who attended at least
  one event of the period, by e-mail address compared in lower case, among
  the registrations that are **not anonymised** only. Anonymisation
  (``services.anonymize``, after the retention period) replaces the address by
  ``anonyme-<id>@invalid`` and keeps nothing else that identifies the person,
  so two anonymised attendances of one person can no longer be told apart
  from two people: counting each as a person would inflate the figure (a
  yearly report read after the retention period would count every attendance
  as a new person). Anonymised attendances are therefore left out of this
  figure and reported beside it:
- **présences anonymisées** (period): present registrations that are
  anonymised (counted in registrations, like the distinct people). They are
  in **présentes** like any other; they are not in **personnes différentes**.
  The true number of distinct people lies between **personnes différentes**
  and **personnes différentes** + **présences anonymisées**.

People signed up by phone without an e-mail address count one person each.
Cancelled events (``status="cancelled"``) were not held: they and their
registrations are left out of every figure.

Dates of a series (``series_dates_report``): each date held in the period
(its own start, not the series') counts on its own line, with its own
capacity; cancelled dates were not held and are left out like cancelled events.

Events and months: the per-month and per-category figures are grouped over
the events of the period, so an event without any registration still counts
as an event of its month and of its category (with zero requests).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_short_date, format_short_datetime
from events.models import EventPage, EventStatus, Occurrence, OccurrenceStatus
from registrations.figures import (  # noqa: F401 - absence_rate and event_figures are read from here too
    CONFIRMED,
    PRESENT,
    EventFigures,
    absence_rate,
    event_figures,
    figure_aggregates,
    prefixed,
    present_people,
)
from registrations.models import Registration


@dataclass(frozen=True)
class PeriodReport:
    """Figures over a date range: per event, by month, by category, totals and distinct people."""

    date_from: datetime.date
    date_to: datetime.date
    events: list  # of (EventPage, EventFigures), by start date
    by_month: list  # of (date of the first day of the month, EventFigures, number of events)
    by_category: list  # of (category name or "", EventFigures, number of events)
    totals: EventFigures
    # Distinct e-mail addresses among present, non-anonymised registrations, plus those signed up without one.
    distinct_attendees: int
    anonymised_attendances: int = 0  # present, anonymised registrations (not in distinct_attendees)


def _period_bounds(date_from, date_to):
    """Local midnight at the start of ``date_from`` to local midnight after ``date_to``."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _figures(row):
    keys = EventFigures.__dataclass_fields__.keys() - {"capacity", "started"}
    return EventFigures(**{key: row.get(key) or 0 for key in keys}, started=True)


def period_report(date_from, date_to, *, now=None):
    """Figures of the events that start between two dates (inclusive, Paris time), in five queries."""
    now = now or timezone.now()
    start, end = _period_bounds(date_from, date_to)
    # A cancelled event was not held: funders' figures leave it out (its registrations too).
    events = EventPage.objects.filter(start__gte=start, start__lt=end).exclude(status=EventStatus.CANCELLED)
    registrations = Registration.objects.filter(event__in=events)

    event_rows = list(
        events.annotate(**figure_aggregates("registrations__")).select_related("category").order_by("start", "pk")
    )
    per_event = [
        (
            event,
            EventFigures(
                **{key: getattr(event, key) for key in figure_aggregates()},
                capacity=event.capacity,
                started=event.start <= now,
            ),
        )
        for event in event_rows
    ]

    # Absence rates of groups count only events that have started: the seats of
    # future events are left out of the confirmed_started/present_started pair.
    totals = registrations.aggregate(
        **figure_aggregates(),
        confirmed_started=Coalesce(Sum("seats", filter=CONFIRMED & Q(event__start__lte=now)), 0),
        present_started=present_people(condition=Q(event__start__lte=now)),
        anonymised_attendances=Count("id", filter=PRESENT & Q(anonymized_at__isnull=False)),
        # Signed up by phone without an address: each one is a person of their own.
        present_without_email=Count("id", filter=PRESENT & Q(anonymized_at__isnull=True, email="")),
    )

    # Months and categories are grouped over the events (joined to their
    # registrations), not over the registrations: an event nobody registered
    # for still counts as an event of its month and of its category.
    started_q = Q(start__lte=now)
    group_aggregates = {
        **figure_aggregates("registrations__"),
        "confirmed_started": Coalesce(Sum("registrations__seats", filter=prefixed(CONFIRMED) & started_q), 0),
        "present_started": present_people("registrations__", started_q),
        "events": Count("pk", distinct=True),
    }
    month_rows = (
        events.annotate(month=TruncMonth("start")).values("month").annotate(**group_aggregates).order_by("month")
    )
    by_month = [(row["month"].date(), _figures(row), row["events"]) for row in month_rows]
    category_rows = (
        events.annotate(category_name=F("category__name"))
        .values("category_name")
        .annotate(**group_aggregates)
        .order_by("category_name")
    )
    by_category = [(row["category_name"] or "", _figures(row), row["events"]) for row in category_rows]
    distinct_attendees = (
        registrations.filter(PRESENT, anonymized_at__isnull=True)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .distinct()
        .count()
    ) + totals["present_without_email"]
    return PeriodReport(
        date_from,
        date_to,
        per_event,
        by_month,
        by_category,
        _figures(totals),
        distinct_attendees,
        totals["anonymised_attendances"],
    )


def series_dates_report(date_from, date_to, *, now=None):
    """``[(occurrence, EventFigures)]`` of the dates of series held between two dates (Paris time), in one query."""
    now = now or timezone.now()
    start, end = _period_bounds(date_from, date_to)
    dates = (
        Occurrence.objects.filter(start__gte=start, start__lt=end)
        .exclude(status=OccurrenceStatus.CANCELLED)
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event", "venue")
        .annotate(**figure_aggregates("registrations__"))
        .order_by("start", "pk")
    )
    return [
        (
            date,
            EventFigures(
                **{key: getattr(date, key) for key in figure_aggregates()},
                capacity=date.effective_capacity,
                started=date.start <= now,
            ),
        )
        for date in dates
    ]


def series_dates_rows(dates):
    """The dates of series as rows for the XLSX report, after the period's own rows."""
    yield []
    yield [
        _("Date d'une série"),
        _("Date"),
        _("Places"),
        _("Demandes"),
        _("Confirmées (places)"),
        _("Présentes (places)"),
        _("Taux d'absence (%)"),
        _("Liste d'attente"),
        _("Annulations"),
    ]
    for date, figures in dates:
        rate = figures.absence_rate
        yield [
            date.event.title,
            format_short_datetime(date.start),
            figures.capacity if figures.capacity is not None else "",
            figures.requests,
            figures.confirmed,
            figures.present,
            "" if rate is None else round(rate * 100, 1),
            figures.waitlisted,
            figures.cancelled,
        ]


def period_report_rows(report):
    """The period report as rows of cells for the XLSX export (same words as the admin page)."""

    def rate(figures):
        value = figures.absence_rate
        return "" if value is None else round(value * 100, 1)

    header = [
        _("Demandes"),
        _("Confirmées (places)"),
        _("Présentes (places)"),
        _("Taux d'absence (%)"),
        _("Liste d'attente"),
        _("En attente de validation"),
        _("Annulations"),
        _("Refus"),
    ]

    def numbers(figures):
        return [
            figures.requests,
            figures.confirmed,
            figures.present,
            rate(figures),
            figures.waitlisted,
            figures.pending,
            figures.cancelled,
            figures.rejected,
        ]

    yield [
        _("Inscriptions du %(start)s au %(end)s")
        % {
            "start": format_short_date(report.date_from),
            "end": format_short_date(report.date_to),
        }
    ]
    yield []
    yield [_("Événement"), _("Date"), _("Catégorie"), _("Places"), *header]
    for event, figures in report.events:
        yield [
            event.title,
            format_short_datetime(event.start),
            event.category.name if event.category else "",
            event.capacity if event.capacity is not None else "",
            *numbers(figures),
        ]
    yield []
    yield [_("Mois"), _("Événements"), *header]
    for month, figures, count in report.by_month:
        yield [month.strftime("%m/%Y"), count, *numbers(figures)]
    yield []
    yield [_("Catégorie"), _("Événements"), *header]
    for name, figures, count in report.by_category:
        yield [name or _("Sans catégorie"), count, *numbers(figures)]
    yield []
    yield [_("Total"), "", *numbers(report.totals)]
    yield [_("Personnes différentes venues (hors données anonymisées)"), report.distinct_attendees]
    yield [_("Présences anonymisées (non comptées en personnes)"), report.anonymised_attendances]
    yield [
        _(
            "Personnes différentes : adresses e-mail distinctes parmi les présences, hors inscriptions "
            "anonymisées (leur adresse est effacée : deux présences anonymisées ne peuvent plus être "
            "reconnues comme la même personne). Le nombre réel de personnes est compris entre "
            "« personnes différentes » et « personnes différentes » + « présences anonymisées »."
        )
    ]
