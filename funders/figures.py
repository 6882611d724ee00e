"""The figures of a funded action, from the anonymous statistics rows (``registrations.statistics``).

Every figure counts rows (one per person and event, or per date of a series),
kept ones for anonymised registrations and built ones for live registrations,
so anonymising changes nothing here. Definitions (the words of the report):

- **inscrit·es**: people of confirmed registrations;
- **participations**: people present (checked in, or present at a course
  session), once per event or per date of a series;
- **personnes différentes**: distinct pseudonyms among participations, plus
  each participation without one (no address, or the year's key destroyed);
  pseudonyms change every year, so over several years it adds up each year;
- **personnes revenues**: pseudonyms present at two events (or dates) or more
  in the same year;
- **événements tenus**: events and dates of a series already started, not cancelled;
- **réponses**: the registrant's own answers (companions are not asked); a
  share is taken among the participants who answered that question;
- **parcours suivi jusqu'au bout**: present at every session of a course,
  among those present at one session at least.

- **payant / gratuit**: participations whose person had a tier above 0 € and
  no exemption (``payments.is_paying``, kept on each row as ``paying``),
  against free tiers, events without tiers and exemptions; rows kept before
  that was recorded are « non renseigné »; people are counted in each line
  as « personnes différentes » are.

Cancelled events are left out, as in ``registrations/reports.py``.
The report reads a fixed number of queries whatever the number of events.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import to_local
from events.models import CourseSession, EventPage, EventSchedule, EventStatus, Occurrence, OccurrenceStatus
from funders.models import Indicator
from registrations.models import AudienceQuestion, RegistrationStatus
from registrations.statistics import attendance_records


@dataclass
class AnswerBreakdown:
    question: AudienceQuestion
    counts: list  # of (answer, participations)
    unanswered: int
    respondents: int


@dataclass
class PayingLine:
    label: str
    participations: int
    people: int


@dataclass
class TargetProgress:
    target: object  # FundedActionTarget
    value: Decimal | None
    is_share: bool
    # For shares: the counts behind the percentage (so exports can suppress small ones).
    part: int = 0
    whole: int = 0

    @property
    def ratio(self):
        """Share of the target reached (1 = reached), capped at 1 for the bar; None without a value."""
        if self.value is None or not self.target.target:
            return None
        return min(Decimal(1), self.value / self.target.target)

    @property
    def counts_people(self):
        """False for the number of events held, which small-count suppression leaves alone."""
        return self.target.indicator != Indicator.EVENTS

    @property
    def reached(self):
        return self.value is not None and self.value >= self.target.target


@dataclass
class ActionReport:
    action: object
    year: int | None
    events: list  # of (EventPage, registered, participations)
    registered: int = 0
    participations: int = 0
    people: int = 0
    returning: int = 0
    events_held: int = 0
    by_month: list = field(default_factory=list)  # of (first day of the month, participations)
    by_category: list = field(default_factory=list)  # of (category name, participations)
    by_answer: list = field(default_factory=list)  # of AnswerBreakdown
    sessions: list = field(default_factory=list)  # of (EventPage, CourseSession, present)
    courses: list = field(default_factory=list)  # of (EventPage, started, completed)
    by_paying: list = field(default_factory=list)  # of PayingLine: payant, gratuit (, non renseigné)
    targets: list = field(default_factory=list)  # of TargetProgress

    @property
    def period_label(self):
        if self.year:
            return str(self.year)
        first, last = self.action.first_year, self.action.last_year
        return str(first) if first == last else f"{first}–{last}"


def _people(rows):
    """Distinct pseudonyms (per year) plus each row without one: the « personnes différentes » rule."""
    pseudonyms = {(row.year, row.person_hash) for row in rows if row.person_hash}
    return len(pseudonyms) + sum(1 for row in rows if not row.person_hash)


def _paying_lines(present):
    lines = [
        (_("Payant"), [row for row in present if row.paying is True]),
        (_("Gratuit (tarif gratuit, sans tarif ou exonéré)"), [row for row in present if row.paying is False]),
    ]
    unknown = [row for row in present if row.paying is None]
    if unknown:
        lines.append((_("Non renseigné"), unknown))
    return [PayingLine(label, len(rows), _people(rows)) for label, rows in lines]


def _month(value):
    local = to_local(value).date()
    return datetime.date(local.year, local.month, 1)


def action_report(action, *, year=None, now=None):
    """The figures of ``action`` (optionally one year only), in a fixed number of queries."""
    now = now or timezone.now()
    events = list(
        EventPage.objects.filter(funded_action_links__action=action)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("category")
        .order_by("start", "pk")
    )
    occurrences = {
        occurrence.pk: occurrence
        for occurrence in Occurrence.objects.filter(event__in=[event.pk for event in events]).exclude(
            status=OccurrenceStatus.CANCELLED
        )
    }
    if year is not None:  # one year: its events, and the series with a date that year
        years_of_series = {(o.event_id, to_local(o.start).year) for o in occurrences.values()}
        events = [
            event
            for event in events
            if (event.pk, year) in years_of_series
            or (event.schedule != EventSchedule.SERIES and to_local(event.start).year == year)
        ]
    event_ids = [event.pk for event in events]
    by_id = {event.pk: event for event in events}
    rows = [
        row
        for row in attendance_records(event_ids)
        if (year is None or row.year == year) and (row.occurrence_id is None or row.occurrence_id in occurrences)
    ]
    rows = [row for row in rows if row.event_id in by_id]
    present = [row for row in rows if row.present]
    report = ActionReport(action=action, year=year, events=[])

    # Events held: single dates and courses by their start, series by each date.
    for event in events:
        if event.schedule == EventSchedule.SERIES:
            continue
        if event.start <= now and (year is None or to_local(event.start).year == year):
            report.events_held += 1
    for occurrence in occurrences.values():
        if occurrence.start <= now and (year is None or to_local(occurrence.start).year == year):
            report.events_held += 1

    registered_by_event, present_by_event = Counter(), Counter()
    for row in rows:
        if row.status == RegistrationStatus.CONFIRMED:
            registered_by_event[row.event_id] += 1
    for row in present:
        present_by_event[row.event_id] += 1
    report.events = [(event, registered_by_event[event.pk], present_by_event[event.pk]) for event in events]
    report.registered = sum(registered_by_event.values())
    report.participations = len(present)

    # People: pseudonyms are per year, so distinct people are counted year by year.
    units = defaultdict(set)
    for row in present:
        if row.person_hash:
            units[(row.year, row.person_hash)].add((row.event_id, row.occurrence_id))
    report.people = _people(present)
    report.returning = sum(1 for visits in units.values() if len(visits) >= 2)

    months = Counter()
    for row in present:
        start = occurrences[row.occurrence_id].start if row.occurrence_id else by_id[row.event_id].start
        months[_month(start)] += 1
    report.by_month = sorted(months.items())
    categories = Counter()
    for row in present:
        category = by_id[row.event_id].category
        categories[category.name if category else _("Sans catégorie")] += 1
    report.by_category = sorted(categories.items())
    report.by_paying = _paying_lines(present)

    targeted = {target.question_id for target in action.targets.all()}
    for question in AudienceQuestion.objects.all():
        answers = Counter(row.answers.get(question.key) for row in present if row.answers.get(question.key))
        if not answers and question.pk not in targeted:
            continue  # not asked at these events (or never answered): no empty table
        choices = question.choice_list + sorted(set(answers) - set(question.choice_list))
        respondents = sum(answers.values())
        report.by_answer.append(
            AnswerBreakdown(
                question,
                [(choice, answers[choice]) for choice in choices],
                unanswered=len(present) - respondents,
                respondents=respondents,
            )
        )

    sessions_by_event = defaultdict(list)
    for session in CourseSession.objects.filter(page_id__in=event_ids).order_by("start", "pk"):
        sessions_by_event[session.page_id].append(session)
    attended = Counter(session_id for row in present for session_id in row.sessions)
    for event in events:
        if event.schedule != EventSchedule.COURSE:
            continue
        sessions = sessions_by_event[event.pk]
        if year is not None:
            sessions = [session for session in sessions if to_local(session.start).year == year]
        report.sessions += [(event, session, attended[session.pk]) for session in sessions]
        all_ids = {session.pk for session in sessions_by_event[event.pk]}
        course_rows = [row for row in present if row.event_id == event.pk and row.sessions]
        completed = sum(1 for row in course_rows if all_ids and all_ids <= set(row.sessions))
        report.courses.append((event, len(course_rows), completed))

    report.targets = [_progress(target, report) for target in action.targets.all()]
    return report


def _progress(target, report):
    match target.indicator:
        case Indicator.PARTICIPANTS:
            return TargetProgress(target, Decimal(report.participations), False)
        case Indicator.PEOPLE:
            return TargetProgress(target, Decimal(report.people), False)
        case Indicator.RETURNING:
            return TargetProgress(target, Decimal(report.returning), False)
        case Indicator.EVENTS:
            return TargetProgress(target, Decimal(report.events_held), False)
        case Indicator.COMPLETION:
            started = sum(count for _event, count, _done in report.courses)
            done = sum(completed for _event, _count, completed in report.courses)
            return TargetProgress(target, _percent(done, started), True, done, started)
        case Indicator.ANSWER_SHARE:
            breakdown = next((b for b in report.by_answer if b.question.pk == target.question_id), None)
            if breakdown is None:
                return TargetProgress(target, None, True)
            wanted = set(target.answer_list)
            part = sum(count for answer, count in breakdown.counts if answer in wanted)
            return TargetProgress(target, _percent(part, breakdown.respondents), True, part, breakdown.respondents)
    return TargetProgress(target, None, False)


def _percent(part, whole):
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))
