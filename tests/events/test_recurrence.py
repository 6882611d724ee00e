"""The repetition rule (events.recurrence): Paris wall times across DST, exceptions, until vs count."""

from datetime import UTC, date, time, timedelta

import pytest

from events import recurrence
from events.recurrence import BIWEEKLY, MONTHLY, WEEKLY, Rule
from tests.events.factories import paris

TUESDAY, THURSDAY = 1, 3


def rule(**overrides):
    values = {
        "frequency": WEEKLY,
        "weekdays": (TUESDAY,),
        "first_day": date(2026, 9, 1),
        "start_time": time(14),
        "end_time": time(17),
        "until": date(2027, 6, 30),
    }
    values.update(overrides)
    return Rule(**values)


def utc(moment):
    return moment.astimezone(UTC)


def test_weekly_dates_keep_their_wall_time_across_the_october_and_march_clock_changes():
    dates = recurrence.scheduled(rule(first_day=date(2026, 10, 20), until=date(2027, 4, 6)))
    by_day = {rule_date.day: rule_date for rule_date in dates}
    before_october, after_october = by_day[date(2026, 10, 20)], by_day[date(2026, 10, 27)]
    before_march, after_march = by_day[date(2027, 3, 23)], by_day[date(2027, 3, 30)]
    for rule_date in dates:
        assert (rule_date.start.hour, rule_date.start.minute, rule_date.end.hour) == (14, 0, 17)
    # 14 h in summer time is 12:00 UTC, in winter time 13:00 UTC: the wall time stays, the offset changes.
    assert before_october.start.utcoffset() == timedelta(hours=2)
    assert after_october.start.utcoffset() == timedelta(hours=1)
    assert utc(after_october.start) - utc(before_october.start) == timedelta(days=7, hours=1)
    assert before_march.start.utcoffset() == timedelta(hours=1)
    assert after_march.start.utcoffset() == timedelta(hours=2)
    assert utc(after_march.start) - utc(before_march.start) == timedelta(days=7, hours=-1)


def test_until_is_inclusive_and_count_gives_that_many_dates():
    until = recurrence.scheduled(rule(first_day=date(2027, 1, 5), until=date(2027, 1, 26)))
    assert [d.day for d in until] == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19), date(2027, 1, 26)]
    counted = recurrence.scheduled(rule(first_day=date(2027, 1, 5), until=None, count=3))
    assert [d.day for d in counted] == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19)]


def test_count_counts_dates_that_take_place_not_the_ones_left_out():
    # Ten Tuesdays from 6 October 2026, out of the Toussaint (20, 27 October) and Christmas (22, 29 December)
    # holidays: the tenth is 5 January 2027.
    dates = recurrence.scheduled(rule(first_day=date(2026, 10, 6), until=None, count=10, skip_school_holidays=True))
    assert len(dates) == 10
    days = [d.day for d in dates]
    assert not {date(2026, 10, 20), date(2026, 10, 27), date(2026, 12, 22), date(2026, 12, 29)} & set(days)
    assert days[-1] == date(2027, 1, 5)


def test_public_holidays_and_school_holidays_are_left_out_with_their_reason():
    # Wednesdays of November 2026: 11 November is the Armistice.
    dates = recurrence.expand(
        rule(
            weekdays=(2,),
            first_day=date(2026, 10, 14),
            until=date(2026, 11, 18),
            skip_public_holidays=True,
            skip_school_holidays=True,
        )
    )
    reasons = {d.day: d.excluded for d in dates}
    assert reasons[date(2026, 11, 11)] == "férié : Armistice"
    assert reasons[date(2026, 10, 21)] == "vacances de la Toussaint"
    assert reasons[date(2026, 10, 28)] == "vacances de la Toussaint"
    assert reasons[date(2026, 10, 14)] == reasons[date(2026, 11, 4)] == reasons[date(2026, 11, 18)] == ""


def test_without_the_boxes_holidays_stay():
    dates = recurrence.scheduled(rule(weekdays=(2,), first_day=date(2026, 11, 11), until=date(2026, 11, 11)))
    assert [d.day for d in dates] == [date(2026, 11, 11)]


def test_dates_typed_by_the_editor_are_left_out():
    skip = recurrence.parse_dates("22/12/2026\n\n 2026-12-29 \n")
    assert skip == (date(2026, 12, 22), date(2026, 12, 29))
    dates = recurrence.expand(rule(first_day=date(2026, 12, 15), until=date(2027, 1, 5), skip_dates=skip))
    assert [(d.day, d.excluded) for d in dates] == [
        (date(2026, 12, 15), ""),
        (date(2026, 12, 22), "date retirée par l'équipe"),
        (date(2026, 12, 29), "date retirée par l'équipe"),
        (date(2027, 1, 5), ""),
    ]


@pytest.mark.parametrize("text", ["31/02/2027", "mardi prochain", "2027/13/01"])
def test_a_line_that_is_not_a_date_is_refused_in_french(text):
    with pytest.raises(ValueError, match="n'est pas une date"):
        recurrence.parse_dates(f"01/01/2027\n{text}")


def test_monthly_on_the_nth_weekday_and_on_the_last_one():
    first = recurrence.scheduled(
        rule(frequency=MONTHLY, week_of_month=1, first_day=date(2026, 9, 1), until=date(2026, 12, 31))
    )
    assert [d.day for d in first] == [date(2026, 9, 1), date(2026, 10, 6), date(2026, 11, 3), date(2026, 12, 1)]
    last = recurrence.scheduled(
        rule(frequency=MONTHLY, week_of_month=-1, weekdays=(4,), first_day=date(2027, 1, 1), until=date(2027, 3, 31))
    )
    assert [d.day for d in last] == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]


def test_every_two_weeks_on_two_days():
    dates = recurrence.scheduled(
        rule(frequency=BIWEEKLY, weekdays=(TUESDAY, THURSDAY), first_day=date(2027, 1, 5), until=date(2027, 2, 5))
    )
    assert [d.day for d in dates] == [
        date(2027, 1, 5),
        date(2027, 1, 7),
        date(2027, 1, 19),
        date(2027, 1, 21),
        date(2027, 2, 2),
        date(2027, 2, 4),
    ]


def test_a_rule_with_too_many_dates_is_refused():
    with pytest.raises(recurrence.RuleTooLong):
        recurrence.scheduled(rule(weekdays=(0, 1, 2, 3, 4), first_day=date(2026, 1, 1), until=date(2027, 12, 31)))


def test_an_evening_that_ends_after_midnight_ends_the_next_day():
    (only,) = recurrence.scheduled(
        rule(start_time=time(21), end_time=time(1), first_day=date(2027, 1, 5), until=date(2027, 1, 5))
    )
    assert (only.start, only.end) == (paris(2027, 1, 5, 21), paris(2027, 1, 6, 1))


def test_the_rule_reads_as_one_french_sentence():
    text = recurrence.describe(
        rule(first_day=date(2027, 1, 6), until=date(2027, 6, 30), skip_school_holidays=True),
        date(2027, 1, 12),
        date(2027, 6, 29),
    )
    assert text == "Tous les mardis, de 14\u00a0h à 17\u00a0h, du 12 janvier au 29 juin 2027, hors vacances scolaires"
    assert recurrence.describe(
        rule(
            frequency=MONTHLY,
            week_of_month=-1,
            weekdays=(4,),
            end_time=None,
            until=None,
            count=3,
            skip_public_holidays=True,
        )
    ).startswith("Le dernier vendredi du mois, à 14\u00a0h, à partir du 1er septembre 2026, hors jours fériés")
    assert recurrence.describe(rule(frequency=BIWEEKLY, weekdays=(1, 3))).startswith("Un mardi et jeudi sur deux")


# The official zone A school holidays (Dijon's académie), from the arrêtés fixing the school calendar
# (arrêté du 7 décembre 2022 for 2025-2026, arrêté du 22 octobre 2025 for 2026-2027), as published on
# education.gouv.fr « Calendrier scolaire »: first and last days without classes.
OFFICIAL_ZONE_A = [
    ("Vacances de la Toussaint", date(2025, 10, 18), date(2025, 11, 2)),
    ("Vacances de Noël", date(2025, 12, 20), date(2026, 1, 4)),
    ("Vacances d'hiver", date(2026, 2, 7), date(2026, 2, 22)),
    ("Vacances de printemps", date(2026, 4, 4), date(2026, 4, 19)),
    ("Pont de l'Ascension", date(2026, 5, 14), date(2026, 5, 17)),
    ("Vacances d'été", date(2026, 7, 4), date(2026, 8, 31)),
    ("Vacances de la Toussaint", date(2026, 10, 17), date(2026, 11, 1)),
    ("Vacances de Noël", date(2026, 12, 19), date(2027, 1, 3)),
    ("Vacances d'hiver", date(2027, 2, 13), date(2027, 2, 28)),
    ("Vacances de printemps", date(2027, 4, 10), date(2027, 4, 25)),
    ("Pont de l'Ascension", date(2027, 5, 6), date(2027, 5, 9)),
    # The 2027 rentrée belongs to the next year's arrêté: only the start of these holidays is checked.
    ("Vacances d'été", date(2027, 7, 3), None),
]


@pytest.mark.parametrize(("name", "first", "last"), OFFICIAL_ZONE_A)
def test_zone_a_school_holidays_are_the_official_ones(name, first, last):
    assert recurrence.school_holiday(first - timedelta(days=1)) != name
    day = first
    while day <= (last or first + timedelta(days=28)):
        assert recurrence.school_holiday(day) == name, day
        day += timedelta(days=1)
    if last is not None:
        assert recurrence.school_holiday(last + timedelta(days=1)) is None
