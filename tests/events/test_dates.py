from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core.dates import event_local_days, format_event_dates, format_time

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_same_day_with_times():
    text = format_event_dates(paris(2025, 7, 3, 9, 30), paris(2025, 7, 3, 17))
    assert text == "jeudi 3 juillet 2025, 9\u00a0h\u00a030\u00a0– 17\u00a0h"


def test_minutes_are_kept_with_two_digits():
    assert format_time(paris(2025, 7, 3, 17, 5)) == "17\u00a0h\u00a005"
    assert format_time(paris(2025, 7, 3, 9)) == "9\u00a0h"


def test_no_end_shows_the_start_time_only():
    assert format_event_dates(paris(2025, 7, 3, 9, 30)) == "jeudi 3 juillet 2025, 9\u00a0h\u00a030"


def test_utc_values_are_shown_in_paris_time():
    # 07:30 UTC in summer is 9:30 in Paris; 16:00 UTC in winter is 17:00.
    assert format_event_dates(datetime(2025, 7, 3, 7, 30, tzinfo=UTC)) == "jeudi 3 juillet 2025, 9\u00a0h\u00a030"
    assert format_event_dates(datetime(2025, 1, 9, 16, tzinfo=UTC)) == "jeudi 9 janvier 2025, 17\u00a0h"


def test_all_day_single_day_has_no_time():
    assert (
        format_event_dates(paris(2024, 7, 3, 0, 0), paris(2024, 7, 3, 23, 0), all_day=True) == "mercredi 3 juillet 2024"
    )
    assert format_event_dates(paris(2024, 7, 3, 9, 0), all_day=True) == "mercredi 3 juillet 2024"


def test_first_of_month_is_an_ordinal():
    assert format_event_dates(paris(2025, 11, 1, 10)) == "samedi 1er novembre 2025, 10\u00a0h"


def test_all_day_over_several_days_same_month():
    text = format_event_dates(paris(2025, 7, 3), paris(2025, 7, 5), all_day=True)
    assert text == "du jeudi 3 au samedi 5 juillet 2025"


def test_all_day_over_two_months_and_two_years():
    assert (
        format_event_dates(paris(2025, 7, 31), paris(2025, 8, 2), all_day=True)
        == "du jeudi 31 juillet au samedi 2 août 2025"
    )
    assert (
        format_event_dates(paris(2025, 12, 31), paris(2026, 1, 2), all_day=True)
        == "du mercredi 31 décembre 2025 au vendredi 2 janvier 2026"
    )


def test_several_days_with_times():
    text = format_event_dates(paris(2025, 7, 3, 9, 30), paris(2025, 7, 5, 17))
    assert text == "du jeudi 3 juillet à 9\u00a0h\u00a030 au samedi 5 juillet 2025 à 17\u00a0h"


def test_several_days_with_times_across_years():
    text = format_event_dates(paris(2025, 12, 31, 20), paris(2026, 1, 1, 2))
    assert text == "du mercredi 31 décembre 2025 à 20\u00a0h au jeudi 1er janvier 2026 à 2\u00a0h"


def test_plain_dates_are_accepted():
    assert (
        format_event_dates(date(2025, 7, 3), date(2025, 7, 4), all_day=True) == "du jeudi 3 au vendredi 4 juillet 2025"
    )


def test_local_days_use_paris_time():
    # 23:30 UTC on 2 July is already 3 July in Paris.
    first, last = event_local_days(datetime(2025, 7, 2, 23, 30, tzinfo=UTC), None)
    assert first == last == date(2025, 7, 3)
    assert event_local_days(paris(2025, 7, 5), paris(2025, 7, 3)) == (date(2025, 7, 5), date(2025, 7, 5))
