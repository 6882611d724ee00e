"""Staff tooling for courses: the door screen by session, sign-in sheets per session, exports, figures."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from registrations import services, tokens
from registrations.exports import registration_rows
from registrations.models import SessionPresence
from tests.events.factories import course_fields
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    return make_event(home_page, title="Formation tiers-lieux", slug="formation", **course_fields(days=5, count=3))


@pytest.fixture
def people(course):
    return [services.register(course, **person(n)).attendees.get() for n in (1, 2, 3)]


def check_in_url(course, **params):
    url = reverse("inscriptions:check_in", args=[course.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def row(html, attendee):
    return re.search(rf'<li id="a{attendee.pk}"[^>]*>.*?</li>', html, re.S).group(0)


def test_the_door_screen_defaults_to_todays_session(manager_client, course, people):
    first, second, third = course.course_sessions
    with freeze_time(second.start):
        html = manager_client.get(check_in_url(course)).content.decode()
    assert re.search(rf'<option value="{second.pk}" selected>Séance 2 — ', html)
    assert "Séance 2 sur 3" in html
    with freeze_time(third.end + timezone.timedelta(hours=30)):  # after the course: the last one
        html = manager_client.get(check_in_url(course)).content.decode()
    assert re.search(rf'<option value="{third.pk}" selected>', html)


def test_checking_in_at_session_two_marks_that_session_only(manager_client, course, people):
    second = course.course_sessions[1]
    url = reverse("inscriptions:attendee_session_check_in", args=[people[0].pk, second.pk])
    response = manager_client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(f"?seance={second.pk}")
    assert list(SessionPresence.objects.values_list("attendee", "session")) == [(people[0].pk, second.pk)]

    html = manager_client.get(check_in_url(course, seance=second.pk)).content.decode()
    assert 'class="checkin-done"' in row(html, people[0])
    assert "checkin-done" not in row(html, people[1])
    assert "1 présent·es à cette séance sur 3 places confirmées" in html
    html = manager_client.get(check_in_url(course, seance=course.course_sessions[0].pk)).content.decode()
    assert "checkin-done" not in row(html, people[0])  # session 1: nobody yet

    manager_client.post(reverse("inscriptions:attendee_session_check_out", args=[people[0].pk, second.pk]))
    assert not SessionPresence.objects.exists()


def test_the_door_screen_of_a_course_reads_a_fixed_number_of_queries(
    manager_client, course, people, django_assert_max_num_queries
):
    url = check_in_url(course, seance=course.course_sessions[1].pk)
    manager_client.get(url)
    with django_assert_max_num_queries(25) as few:
        manager_client.get(url)
    for n in range(4, 14):
        services.register(course, **person(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(url)


def test_a_qr_code_checks_in_at_the_chosen_session(manager_client, course, people):
    third = course.course_sessions[2]
    code = tokens.make_check_in_value(people[1].registration)
    response = manager_client.post(
        reverse("inscriptions:check_in_code", args=[course.pk]), {"code": code, "seance": third.pk}
    )
    assert response["Location"].endswith(f"?seance={third.pk}")
    assert list(SessionPresence.objects.values_list("attendee", "session")) == [(people[1].pk, third.pk)]


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_sign_in_sheets_per_session_and_for_all(manager_client, course, people):
    first, second, third = course.course_sessions
    services.check_in_session(people[0], second)
    url = reverse("inscriptions:signin_html", args=[course.pk])
    html = manager_client.get(url, {"seance": second.pk}).content.decode()
    assert f"séance 2 sur 3, {second.dates_display}" in html
    assert html.count("<table") == 1
    assert re.search(r"MARTIN1 Camille</td>\s*<td>[^<]*</td>\s*<td>présent·e</td>", html)
    assert not re.search(r"MARTIN2 Camille</td>\s*<td>[^<]*</td>\s*<td>présent·e</td>", html)

    html = manager_client.get(url, {"seance": "toutes"}).content.decode()
    assert html.count("<table") == 3 and html.count('class="next-sheet"') == 2

    pdf_url = reverse("inscriptions:signin_pdf", args=[course.pk])
    response = manager_client.get(pdf_url, {"seance": second.pk})
    assert "-seance-2.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "séance 2 sur 3" in text and "Pointage" in text
    response = manager_client.get(pdf_url, {"seance": "toutes"})
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    assert ["séance 1 sur 3" in p.extract_text() for p in reader.pages] == [True, False, False]
    assert manager_client.get(pdf_url, {"seance": "999999"}).status_code == 404


def test_a_single_event_has_no_session_sheets(manager_client, event):
    assert manager_client.get(reverse("inscriptions:signin_pdf", args=[event.pk]), {"seance": "1"}).status_code == 404


def test_exports_have_one_presence_column_per_session(course, people):
    first, second, third = course.course_sessions
    services.check_in_session(people[0], first)
    services.check_in_session(people[0], third)
    with freeze_time(second.end):
        header, *rows = list(registration_rows(course))
    titles = [f"Séance {n} ({s.start:%d/%m/%Y})" for n, s in enumerate((first, second, third), 1)]
    assert header[-3:] == titles
    assert rows[0][-3:] == ["Présent·e", "Absent·e", "Présent·e"]
    assert rows[1][-3:] == ["Absent·e", "Absent·e", "Non renseignée"]
    assert rows[0][header.index("Présence")] == "Présent·e"  # came at least once


def test_csv_of_a_course_through_the_admin(manager_client, course, people):
    response = manager_client.get(reverse("inscriptions:export", args=[course.pk, "csv"]))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content), delimiter=";"))
    assert header[-1].startswith("Séance 3 (")


def test_the_event_page_shows_presence_per_session_and_completion(manager_client, course, people):
    for session in course.course_sessions:
        services.check_in_session(people[0], session)
    services.check_in_session(people[1], course.course_sessions[0])
    html = manager_client.get(reverse("inscriptions:event", args=[course.pk])).content.decode()
    assert "Présence par séance (3 séances)" in html
    assert re.search(r"Parcours complet \(toutes les séances\)</dt><dd>1 / 3</dd>", html)
    assert re.search(r"Venu·es au moins une fois</dt><dd>2 / 3</dd>", html)
    assert "?seance=toutes" in html
    # Presence is taken session by session: no « present » button that would say which session.
    assert reverse("inscriptions:check_in_one", args=[people[2].registration_id]) not in html


def test_all_sessions_sheets_cost_the_same_queries_whatever_the_number_of_sessions(home_page, people, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registrations import signin_sheet

    services.check_in_session(people[0], course.course_sessions[2])
    signin_sheet.course_sheets(course)  # the site and its settings, read once per process
    course = type(course).objects.get(pk=course.pk)
    with CaptureQueriesContext(connection) as three:
        sheets = signin_sheet.course_sheets(course)
    assert [[a.session_present for a in sheet["attendees"]].count(True) for sheet in sheets] == [0, 0, 1]
    longer = make_event(home_page, title="Long", slug="long", **course_fields(days=20, count=8))
    with CaptureQueriesContext(connection) as eight:
        assert len(signin_sheet.course_sheets(longer)) == 8
    assert len(eight) == len(three)
