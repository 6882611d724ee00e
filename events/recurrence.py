"""The repetition rule of a series: which dates it gives, which it leaves out and why, in French.

Pure functions (no database): the editor's preview, the occurrences' sync, the
event page's sentence and the tests all read them. The rule is expanded with
``dateutil.rrule`` on *naive* Paris wall times, then each date gets the
Europe/Paris offset of its own day: a workshop at 14 h stays at 14 h after the
March and October clock changes (expanding aware UTC datetimes would shift it
by an hour).

Dates left out:

- public holidays of France (the ``holidays`` package, maintained from the
  official texts);
- school holidays of zone A (Dijon's académie), from the same package's
  ``school`` category. It follows the arrêtés fixing the school calendar
  (arrêté du 7 décembre 2022 for 2025-2026, arrêté du 22 octobre 2025 for
  2026-2027; education.gouv.fr « calendrier scolaire »); the tests check it
  against those official dates, so an upgrade that changed them would fail;
- dates the editor types, one per line (JJ/MM/AAAA).

« N fois » counts the dates that take place: ten sessions out of the school
holidays are ten real dates, not ten minus the holidays.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from dateutil import rrule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import day_number, format_date, format_day, format_event_dates, format_time, local_zone

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"

# Above this a rule is almost certainly a typo (a year typed 2207); it also bounds every page and feed.
MAX_DATES = 200
# How far a rule « N fois » may look for its dates (holidays may push them later).
COUNT_HORIZON_YEARS = 5
SCHOOL_ZONE = "Zone A"  # Dijon

WEEKDAY_NAMES = [
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
]
WEEKDAY_PLURALS = [
    gettext_lazy("lundis"),
    gettext_lazy("mardis"),
    gettext_lazy("mercredis"),
    gettext_lazy("jeudis"),
    gettext_lazy("vendredis"),
    gettext_lazy("samedis"),
    gettext_lazy("dimanches"),
]
ORDINALS = {
    1: gettext_lazy("premier"),
    2: gettext_lazy("deuxième"),
    3: gettext_lazy("troisième"),
    4: gettext_lazy("quatrième"),
    -1: gettext_lazy("dernier"),
}
RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


@dataclass(frozen=True)
class Rule:
    """What the editor typed in the « Répétition » panel."""

    frequency: str
    weekdays: tuple  # 0 = Monday
    first_day: date
    start_time: time
    end_time: time | None = None
    until: date | None = None
    count: int | None = None
    week_of_month: int | None = None  # 1–4, or -1 for the last one (monthly)
    skip_public_holidays: bool = False
    skip_school_holidays: bool = False
    skip_dates: tuple = field(default=())


@dataclass(frozen=True)
class RuleDate:
    """One date the rule gives; ``excluded`` says why it does not take place ("" when it does)."""

    start: datetime
    end: datetime | None
    excluded: str = ""

    @property
    def day(self):
        return self.start.date()

    @property
    def display(self):
        """ "mardi 6 octobre 2026, 14 h – 17 h"."""
        return format_event_dates(self.start, self.end)

    @property
    def day_display(self):
        return format_day(self.day)


class RuleTooLong(ValueError):
    """The rule gives more than ``MAX_DATES`` dates."""


def parse_dates(text):
    """The dates typed one per line (JJ/MM/AAAA, or AAAA-MM-JJ); raises ValueError with a French message."""
    days = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", line)
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", line)
        try:
            if match:
                days.append(date(int(match[3]), int(match[2]), int(match[1])))
            elif iso:
                days.append(date(int(iso[1]), int(iso[2]), int(iso[3])))
            else:
                raise ValueError
        except ValueError:
            raise ValueError(
                _("Ligne %(number)d : « %(text)s » n'est pas une date (écrire JJ/MM/AAAA, par exemple 11/11/2026).")
                % {"number": number, "text": line}
            ) from None
    return tuple(sorted(set(days)))


@lru_cache(maxsize=32)
def _public_holidays(year):
    return holidays.France(years=year, language="fr")


@lru_cache(maxsize=32)
def _school_holidays(year):
    return holidays.France(years=year, subdiv=SCHOOL_ZONE, categories=(holidays.SCHOOL,), language="fr")


def public_holiday(day):
    """The name of the French public holiday on ``day`` ("Armistice"), or None."""
    return _public_holidays(day.year).get(day)


def school_holiday(day):
    """The zone A school holiday ``day`` falls in ("Vacances de la Toussaint"), or None."""
    return _school_holidays(day.year).get(day)


def exclusion(rule, day):
    """Why ``day`` is left out of the rule, in French ("" when it takes place)."""
    if day in rule.skip_dates:
        return _("date retirée par l'équipe")
    if rule.skip_public_holidays and (name := public_holiday(day)):
        return _("férié : %(name)s") % {"name": name}
    if rule.skip_school_holidays and (name := school_holiday(day)):
        return name[:1].lower() + name[1:]
    return ""


def _rrule(rule, until):
    options = {"dtstart": datetime.combine(rule.first_day, rule.start_time), "cache": False}
    if rule.frequency == MONTHLY:
        nth = rule.week_of_month or 1
        options["byweekday"] = [RRULE_DAYS[weekday](nth) for weekday in rule.weekdays]
        frequency = rrule.MONTHLY
    else:
        options["byweekday"] = [RRULE_DAYS[weekday] for weekday in rule.weekdays]
        options["interval"] = 2 if rule.frequency == BIWEEKLY else 1
        frequency = rrule.WEEKLY
    return rrule.rrule(frequency, until=datetime.combine(until, time.max), **options)


def expand(rule, limit=MAX_DATES):
    """Every date of the rule in order, the left-out ones included (with their reason).

    Raises ``RuleTooLong`` when more than ``limit`` dates would take place.
    """
    if not rule.weekdays:
        return []
    until = rule.until or rule.first_day.replace(year=rule.first_day.year + COUNT_HORIZON_YEARS)
    zone = local_zone()
    dates, kept = [], 0
    for wall_start in _rrule(rule, until):
        start = wall_start.replace(tzinfo=zone)
        end = None
        if rule.end_time is not None:
            end = datetime.combine(wall_start.date(), rule.end_time, tzinfo=zone)
            if end <= start:  # ends after midnight
                end = datetime.combine(wall_start.date() + timedelta(days=1), rule.end_time, tzinfo=zone)
        reason = exclusion(rule, wall_start.date())
        dates.append(RuleDate(start, end, reason))
        if not reason:
            kept += 1
            if rule.count is not None and kept >= rule.count:
                break
            if kept > limit:
                raise RuleTooLong(limit)
    return dates


def scheduled(rule, limit=MAX_DATES):
    """The dates that take place."""
    return [rule_date for rule_date in expand(rule, limit) if not rule_date.excluded]


def _join(words):
    words = [str(word) for word in words]
    if len(words) == 1:
        return words[0]
    return _("%(list)s et %(last)s") % {"list": ", ".join(words[:-1]), "last": words[-1]}


def describe(rule, first=None, last=None):
    """The rule in one French sentence.

    "Tous les mardis, de 14 h à 17 h, du 6 janvier au 30 juin 2027, hors vacances scolaires".
    ``first``/``last`` (the first and last dates that take place) replace the
    rule's own bounds when given, so that « N fois » reads as a period too.
    """
    weekdays = sorted(rule.weekdays)
    if rule.frequency == MONTHLY:
        ordinal = ORDINALS.get(rule.week_of_month or 1, ORDINALS[1])
        days = _join([f"{ordinal} {WEEKDAY_NAMES[day]}" for day in weekdays])
        text = _("Le %(days)s du mois") % {"days": days}
    elif rule.frequency == BIWEEKLY:
        text = _("Un %(days)s sur deux") % {"days": _join([WEEKDAY_NAMES[day] for day in weekdays])}
    else:
        text = _("Tous les %(days)s") % {"days": _join([WEEKDAY_PLURALS[day] for day in weekdays])}
    parts = [text]
    if rule.end_time:
        parts.append(
            _("de %(start)s à %(end)s") % {"start": format_time(rule.start_time), "end": format_time(rule.end_time)}
        )
    else:
        parts.append(_("à %(start)s") % {"start": format_time(rule.start_time)})
    first = first or rule.first_day
    last = last or rule.until
    if last and last != first:
        if first.year != last.year:
            start_text = format_date(first)
        elif first.month != last.month:
            start_text = _without_year(first)
        else:
            start_text = day_number(first)
        parts.append(_("du %(first)s au %(last)s") % {"first": start_text, "last": format_date(last)})
    elif last:
        parts.append(_("le %(day)s") % {"day": format_date(first)})
    else:
        parts.append(_("à partir du %(day)s") % {"day": format_date(first)})
    skips = []
    if rule.skip_school_holidays:
        skips.append(_("vacances scolaires"))
    if rule.skip_public_holidays:
        skips.append(_("jours fériés"))
    if skips:
        parts.append(_("hors %(what)s") % {"what": _join(skips)})
    return ", ".join(parts)


def _without_year(day):
    return format_date(day).removesuffix(f" {day.year}")
