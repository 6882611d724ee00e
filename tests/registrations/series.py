"""Builders for series (``EventSchedule.SERIES``): an event whose dates are booked one by one.

The dates are created directly (the recurrence rule that produces them on
publish is not what these tests are about).
"""

import datetime

from django.utils import timezone

from events.models import EventSchedule, Occurrence
from tests.registrations.factories import make_event


def add_date(event, days, *, hour=18, **fields):
    """One date of the series ``days`` from now (two hours long unless said otherwise)."""
    start = (timezone.now() + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    fields.setdefault("end", start + datetime.timedelta(hours=2))
    return Occurrence.objects.create(event=event, original_start=start, start=start, **fields)


def make_series(home_page, *, dates=3, **fields):
    """A published series with ``dates`` weekly dates starting in a week; returns (event, [occurrences])."""
    event = make_event(home_page, schedule=EventSchedule.SERIES, **fields)
    occurrences = [add_date(event, 7 * (n + 1)) for n in range(dates)]
    return event, occurrences
