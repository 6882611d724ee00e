"""The pack's sign-in sheets: one per course session, one per date of a series (with that date's people)."""

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from events.models import CourseSession, EventSchedule, Occurrence
from tests.events.factories import days_from_now
from tests.funders.factories import FundedActionFactory, attach, came, past_event

pytestmark = pytest.mark.django_db


def sheet_texts(action, tmp_path):
    output = tmp_path / "dossier.zip"
    call_command("funders_report", "--action", str(action.pk), "--output", str(output), stdout=io.StringIO())
    archive = zipfile.ZipFile(output)
    return {
        name.rsplit("/", 1)[1]: "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(archive.read(name))).pages
        )
        for name in archive.namelist()
        if "/emargements/" in name
    }


def test_one_sheet_per_course_session(home_page, tmp_path):
    start = days_from_now(-20)
    sessions = [
        CourseSession(sort_order=n, title=title, start=start + datetime.timedelta(days=n))
        for n, title in enumerate(["Le courriel", "Les démarches", "La visio"])
    ]
    course = past_event(
        home_page, -20, title="Parcours numérique", slug="parcours", schedule=EventSchedule.COURSE, sessions=sessions
    )
    came(course, first_name="Aïcha", last_name="Benali")
    action = FundedActionFactory()
    attach(action, course)
    texts = sheet_texts(action, tmp_path)
    assert len(texts) == 3
    for number in (1, 2, 3):
        (text,) = [text for text in texts.values() if f"séance {number} sur 3" in text]
        assert "BENALI Aïcha" in text


def test_one_sheet_per_date_of_a_series_with_its_own_people(home_page, tmp_path):
    series = past_event(home_page, -30, title="Repair café", slug="repair", schedule=EventSchedule.SERIES)
    first, second = (
        Occurrence.objects.create(event=series, original_start=start, start=start)
        for start in (series.start, series.start + datetime.timedelta(days=7))
    )
    came(series, occurrence=first, first_name="Jeanne", last_name="Premier")
    came(series, occurrence=second, first_name="Paul", last_name="Second")
    action = FundedActionFactory()
    attach(action, series)
    texts = sheet_texts(action, tmp_path)
    assert len(texts) == 2
    (first_text,) = [text for text in texts.values() if "PREMIER Jeanne" in text]
    assert "SECOND Paul" not in first_text
