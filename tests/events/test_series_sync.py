"""A series' dates kept in step with its rule (events.occurrences.sync_occurrences), and the rule's checks."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from events.models import EventPage, EventSchedule, Occurrence, OccurrenceStatus
from events.occurrences import sync_occurrences
from tests.events.factories import EventPageFactory, VenueFactory, paris
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db

BEFORE_SEASON = paris(2026, 8, 1, 12)


def series_fields(**overrides):
    values = {
        "schedule": EventSchedule.SERIES,
        "repeat_frequency": "weekly",
        "repeat_weekdays": "1",
        "repeat_from": date(2027, 1, 5),
        "repeat_until": date(2027, 2, 2),
        "repeat_start_time": time(14),
        "repeat_end_time": time(17),
        "repeat_skip_public_holidays": True,
        "repeat_skip_school_holidays": False,
        "start": paris(2027, 1, 5, 14),
        "end": paris(2027, 2, 2, 17),
    }
    values.update(overrides)
    return values


def make_series(agenda, **overrides):
    return EventPageFactory(parent=agenda, **series_fields(**overrides))


def days(page):
    return [(o.start.astimezone(paris(2027, 1, 1).tzinfo).date()) for o in page.occurrences.order_by("start")]


def test_first_sync_creates_every_date_and_spans_the_page(agenda):
    page = make_series(agenda, start=paris(2026, 1, 1, 9), end=None)
    result = sync_occurrences(page, now=BEFORE_SEASON)
    assert result.created == 5
    assert days(page) == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19), date(2027, 1, 26), date(2027, 2, 2)]
    first = page.occurrences.order_by("start").first()
    assert (first.original_start, first.start, first.end) == (paris(2027, 1, 5, 14),) * 2 + (paris(2027, 1, 5, 17),)
    page = EventPage.objects.get(pk=page.pk)
    assert (page.start, page.end) == (paris(2027, 1, 5, 14), paris(2027, 2, 2, 17))
    assert sync_occurrences(page, now=BEFORE_SEASON).created == 0  # idempotent


def test_a_date_taken_out_of_the_rule_goes_and_a_new_day_comes(agenda):
    page = make_series(agenda)
    sync_occurrences(page, now=BEFORE_SEASON)
    page.repeat_skip_dates = "19/01/2027"
    page.repeat_until = date(2027, 2, 9)
    result = sync_occurrences(page, now=BEFORE_SEASON)
    assert (result.created, result.deleted, result.kept) == (1, 1, [])
    assert date(2027, 1, 19) not in days(page) and days(page)[-1] == date(2027, 2, 9)


def test_a_future_date_with_registrations_is_kept_and_reported(agenda):
    page = make_series(agenda)
    sync_occurrences(page, now=BEFORE_SEASON)
    booked = page.occurrences.get(original_start=paris(2027, 1, 19, 14))
    make_registration(page, occurrence=booked)
    page.repeat_skip_dates = "19/01/2027\n26/01/2027"
    result = sync_occurrences(page, now=BEFORE_SEASON)
    assert result.deleted == 1
    assert result.kept == [booked]
    assert date(2027, 1, 19) in days(page) and date(2027, 1, 26) not in days(page)
    assert page.dates_kept_off_rule(now=BEFORE_SEASON) == [booked]


def test_past_dates_are_never_touched(agenda):
    page = make_series(agenda)
    sync_occurrences(page, now=BEFORE_SEASON)
    page.repeat_from = date(2027, 1, 19)
    page.repeat_start_time = time(15)
    result = sync_occurrences(page, now=paris(2027, 1, 15, 12))
    assert result.deleted == 0
    past = page.occurrences.filter(start__lt=paris(2027, 1, 15)).order_by("start")
    assert [o.start for o in past] == [paris(2027, 1, 5, 14), paris(2027, 1, 12, 14)]
    assert page.occurrences.get(original_start__date=date(2027, 1, 19)).start == paris(2027, 1, 19, 15)


def test_a_past_rule_date_without_an_occurrence_is_not_created(agenda):
    page = make_series(agenda)
    assert sync_occurrences(page, now=paris(2027, 1, 20, 12)).created == 2


def test_moved_and_cancelled_dates_keep_their_changes_and_a_new_time_updates_the_others_in_place(agenda):
    page = make_series(agenda)
    sync_occurrences(page, now=BEFORE_SEASON)
    hall = VenueFactory(name="Maison de quartier")
    moved = page.occurrences.get(original_start=paris(2027, 1, 12, 14))
    moved.start, moved.end, moved.venue = paris(2027, 1, 14, 10), paris(2027, 1, 14, 12), hall
    moved.save()
    cancelled = page.occurrences.get(original_start=paris(2027, 1, 19, 14))
    cancelled.status = OccurrenceStatus.CANCELLED
    cancelled.save()
    plain = page.occurrences.get(original_start=paris(2027, 1, 26, 14))
    ids = set(page.occurrences.values_list("pk", flat=True))

    page.repeat_start_time, page.repeat_end_time = time(14, 30), time(17, 30)
    result = sync_occurrences(page, now=BEFORE_SEASON)

    assert (result.created, result.deleted) == (0, 0)
    assert set(page.occurrences.values_list("pk", flat=True)) == ids
    moved.refresh_from_db()
    assert (moved.start, moved.venue) == (paris(2027, 1, 14, 10), hall)
    cancelled.refresh_from_db()
    assert cancelled.status == OccurrenceStatus.CANCELLED
    plain.refresh_from_db()
    assert (plain.original_start, plain.start, plain.end) == (
        paris(2027, 1, 26, 14, 30),
        paris(2027, 1, 26, 14, 30),
        paris(2027, 1, 26, 17, 30),
    )
    assert plain.ical_sequence == 1  # calendars apply the new time


def test_publishing_a_series_creates_its_dates(agenda):
    page = make_series(
        agenda, repeat_from=date(2099, 1, 6), repeat_until=date(2099, 1, 27), start=paris(2099, 1, 6, 14)
    )
    page.save_revision().publish()
    assert Occurrence.objects.filter(event=page).count() == 4


def test_a_single_event_gets_no_dates(agenda):
    page = EventPageFactory(parent=agenda)
    page.save_revision().publish()
    assert not Occurrence.objects.filter(event=page).exists()


def full_clean_errors(page):
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"repeat_weekdays": ""}, "repeat_weekdays", "Cochez au moins un jour de la semaine."),
        ({"repeat_until": date(2026, 12, 1)}, "repeat_until", "ne peut pas précéder son premier jour"),
        ({"repeat_count": 4}, "repeat_count", "soit une date de fin, soit un nombre de dates"),
        ({"repeat_until": None}, "repeat_until", "ou son nombre de dates"),
        ({"repeat_frequency": "monthly"}, "repeat_week_of_month", "quelle semaine du mois"),
        ({"repeat_start_time": None}, "repeat_start_time", "heure de début"),
        ({"repeat_skip_dates": "12/01/2027\n30/02/2027"}, "repeat_skip_dates", "Ligne 2 : « 30/02/2027 »"),
        ({"repeat_weekdays": "0,1,2,3,4", "repeat_until": date(2028, 12, 31)}, "repeat_until", "plus de 200 dates"),
        ({"repeat_skip_dates": "05/01/2027", "repeat_until": date(2027, 1, 5)}, "repeat_from", "aucune date"),
    ],
)
def test_a_wrong_rule_is_refused_in_french(agenda, fields, field, message):
    page = make_series(agenda)  # Page.save() checks the page: the wrong rule is typed afterwards
    for name, value in fields.items():
        setattr(page, name, value)
    errors = full_clean_errors(page)
    assert message in errors[field][0]


def test_a_sound_rule_sets_the_page_dates(agenda):
    page = make_series(agenda, start=paris(2020, 1, 1, 9), end=None, all_day=True)
    page.full_clean()
    assert (page.start, page.end, page.all_day) == (paris(2027, 1, 5, 14), paris(2027, 2, 2, 17), False)


def test_the_rule_is_ignored_for_a_single_event(agenda):
    page = EventPageFactory(parent=agenda, repeat_weekdays="")
    page.full_clean()


def test_a_series_without_rule_keeps_the_dates_it_was_given(agenda):
    page = EventPageFactory(parent=agenda, schedule=EventSchedule.SERIES, start=paris(2099, 1, 6, 14))
    Occurrence.objects.create(event=page, original_start=page.start, start=page.start)
    page.save_revision().publish()
    assert sync_occurrences(page, now=BEFORE_SEASON).deleted == 0
    assert page.occurrences.count() == 1
