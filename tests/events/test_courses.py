"""Courses (several sessions, one registration): the editor's rules and the dates that follow the sessions."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset

from events.models import EventPage, EventSchedule
from tests.events.factories import EventPageFactory, course_fields, course_session, days_from_now
from tests.events.test_admin import event_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def session_row(start, end, title="", venue=""):
    return {"title": title, "start": start, "end": end, "venue": venue}


def test_a_course_is_dated_by_its_first_and_last_sessions(agenda):
    event = EventPageFactory(parent=agenda, **course_fields(days=20, count=3))
    event.refresh_from_db()
    assert event.start == days_from_now(20, 9, 0)
    assert event.end == days_from_now(22, 17, 0)
    assert [s.start for s in event.course_sessions] == [days_from_now(d, 9, 0) for d in (20, 21, 22)]


def test_moving_the_last_session_moves_the_end_and_raises_the_calendar_sequence(agenda):
    event = EventPageFactory(parent=agenda, **course_fields(days=20, count=3))
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    sequence = event.ical_sequence
    middle = event.course_sessions[1]
    middle.start, middle.end = days_from_now(21, 14, 0), days_from_now(21, 18, 0)
    middle.save()  # a session moved inside the course: first and last dates are unchanged
    event.sessions = list(event.course_sessions)
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    assert event.ical_sequence == sequence  # nothing differs from the stored rows any more
    last = event.course_sessions[2]
    last.end = days_from_now(22, 18, 30)
    event.sessions = [*event.course_sessions[:2], last]
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    assert event.end == days_from_now(22, 18, 30)
    assert event.ical_sequence == sequence + 1


def test_the_model_refuses_a_course_of_one_session_and_sessions_on_a_single_event(agenda):
    one = EventPageFactory.build(**course_fields(count=1))
    with pytest.raises(ValidationError, match="au moins deux séances"):
        one.clean()
    single = EventPageFactory.build(sessions=[course_session(3), course_session(4)])
    assert single.schedule == EventSchedule.SINGLE
    with pytest.raises(ValidationError, match="ne servent qu'aux parcours"):
        single.clean()


def test_overlapping_sessions_are_refused(agenda):
    event = EventPageFactory.build(
        schedule=EventSchedule.COURSE, sessions=[course_session(3), course_session(3, hour=14, end_hour=18)]
    )
    with pytest.raises(ValidationError, match="se chevauchent"):
        event.clean()


def test_the_editor_creates_a_course_without_typing_its_start(admin_client, agenda):
    form_html = admin_client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/").content.decode()
    assert 'name="sessions-TOTAL_FORMS"' in form_html and 'name="schedule"' in form_html
    data = event_form_data(
        start="",
        end="",
        schedule="course",
        sessions=inline_formset(
            [
                session_row("2099-03-02 09:30", "2099-03-02 17:00", "Jour 1 : coopérer"),
                session_row("2099-03-03 09:30", "2099-03-03 17:00"),
                session_row("2099-03-04 09:30", "2099-03-04 12:30"),
            ]
        ),
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="atelier-cartographie")
    assert event.is_course and event.live
    assert event.start.isoformat() == "2099-03-02T08:30:00+00:00"
    assert event.end.isoformat() == "2099-03-04T11:30:00+00:00"
    assert [s.title for s in event.course_sessions] == ["Jour 1 : coopérer", "", ""]


@pytest.mark.parametrize(
    ("schedule", "rows", "message"),
    [
        ("course", [("2099-03-02 09:30", "2099-03-02 17:00")], "Un parcours compte au moins deux séances"),
        ("course", [], "Un parcours compte au moins deux séances"),
        (
            "single",
            [("2099-03-02 09:30", "2099-03-02 17:00"), ("2099-03-03 09:30", "2099-03-03 17:00")],
            "Les séances ne servent qu'aux parcours",
        ),
    ],
)
def test_the_editor_is_told_what_is_wrong_in_french(admin_client, agenda, schedule, rows, message):
    data = event_form_data(
        start="2099-03-02 09:30" if schedule == "single" else "",
        schedule=schedule,
        sessions=inline_formset([session_row(*row) for row in rows]),
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].non_field_errors())
    assert not EventPage.objects.filter(slug="atelier-cartographie").exists()


def test_a_session_ending_before_it_starts_is_refused_next_to_its_end(admin_client, agenda):
    data = event_form_data(
        start="",
        end="",
        schedule="course",
        sessions=inline_formset(
            [session_row("2099-03-02 09:30", "2099-03-02 08:00"), session_row("2099-03-03 09:30", "2099-03-03 17:00")]
        ),
    )
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
    assert response.status_code == 200
    formset = response.context["form"].formsets["sessions"]
    assert formset.forms[0].errors["end"] == ["La fin de la séance doit venir après son début."]


def test_a_single_event_still_needs_its_start(admin_client, agenda):
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", event_form_data(start=""))
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["Indiquez la date et l'heure de début."]


def test_the_preview_of_a_new_course_shows_its_sessions(admin_client, agenda):
    url = f"/admin/pages/add/events/eventpage/{agenda.pk}/preview/"
    data = event_form_data(
        start="",
        end="",
        schedule="course",
        sessions=inline_formset(
            [session_row("2099-03-02 09:30", "2099-03-02 17:00"), session_row("2099-03-09 14:00", "2099-03-09 17:00")]
        ),
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Parcours en 2 séances" in html
    assert '"subEvent"' in html
