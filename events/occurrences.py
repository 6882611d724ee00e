"""Keep a series' dates (``Occurrence``) in step with its rule, on publication.

Service-free on purpose: it never decides about seats, and it never deletes a
date somebody registered for (the registrations protect it anyway). Dates are
matched on the day the rule gave them (``original_start``), so a date moved
or cancelled by hand keeps its changes, and a new time for the whole series
updates the dates in place instead of replacing them.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from events.models import EventPage, Occurrence


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: list = field(default_factory=list)  # upcoming dates off the rule, kept for their registrants


@transaction.atomic
def sync_occurrences(page, now=None):
    """Create the dates the rule gives, drop future ones it no longer gives; past dates stay as they are.

    Then the page starts at its first date and ends with its last, so that the
    agenda's ``upcoming()``/``past()`` keep working on pages.
    """
    result = SyncResult()
    if not page.is_series or page.repeat_rule() is None:
        return result  # a series without a (sound) rule has its dates managed by hand
    now = now or timezone.now()
    wanted = {rule_date.day: rule_date for rule_date in page.rule_dates() if not rule_date.excluded}
    occurrences = list(page.occurrences.select_for_update().order_by("original_start"))
    booked = set(page.occurrences.filter(registrations__isnull=False).values_list("pk", flat=True))
    seen = set()
    for occurrence in occurrences:
        day = occurrence.rule_day
        if day in wanted:
            seen.add(day)
        if occurrence.start < now or occurrence.original_start < now:
            continue  # the past is history
        rule_date = wanted.get(day)
        if rule_date is None:
            if occurrence.pk in booked:
                result.kept.append(occurrence)
            else:
                occurrence.delete()
                result.deleted += 1
        elif not occurrence.is_moved and (occurrence.start, occurrence.end) != (rule_date.start, rule_date.end):
            occurrence.original_start = occurrence.start = rule_date.start
            occurrence.end = rule_date.end
            occurrence.save()
            result.updated += 1
    new = [
        Occurrence(event=page, original_start=rule_date.start, start=rule_date.start, end=rule_date.end)
        for day, rule_date in wanted.items()
        if day not in seen and rule_date.start >= now
    ]
    Occurrence.objects.bulk_create(new)
    result.created = len(new)
    _span_page(page)
    return result


def _span_page(page):
    """The page's start and end: its first and last dates (a plain UPDATE: no revision, no new SEQUENCE)."""
    occurrences = list(page.occurrences.order_by("start").values_list("start", "end"))
    if not occurrences:
        return
    start = occurrences[0][0]
    end = max(end or begin for begin, end in occurrences)
    if (page.start, page.end) != (start, end):
        EventPage.objects.filter(pk=page.pk).update(start=start, end=end)
        page.start, page.end = start, end
