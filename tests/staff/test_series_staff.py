"""Staff work on a series date by date: the dates view, one date's lists, exports, sheets, check-in, changes."""

import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from events.models import OccurrenceStatus
from registrations import services, tokens
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import person
from tests.registrations.series import make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


S = RegistrationStatus


@pytest.fixture
def series(home_page):
    """Three dates of 2 seats: Alice and Bruno on the first (Chloé waiting), Dora on the second."""
    event, dates = make_series(home_page, capacity=2, title="Café numérique", slug="cafe-numerique")
    first, second, _third = dates
    for n, name in enumerate(["Alice", "Bruno", "Chloé"]):
        services.register(event, occurrence=first, **person(n, first_name=name, last_name=f"Nom{n}"))
    services.register(event, occurrence=second, **person(9, first_name="Dora", last_name="Nom9"))
    mail.outbox.clear()
    return event, dates


def dated(name, event, occurrence, *args):
    return reverse(f"inscriptions:{name}", args=[event.pk, *args]) + f"?date={occurrence.pk}"


def test_the_dates_view_lists_each_date_with_its_seats(manager_client, series, django_assert_max_num_queries):
    event, (first, second, third) = series
    with django_assert_max_num_queries(25):
        response = manager_client.get(reverse("inscriptions:dates", args=[event.pk]))
    html = response.content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 3
    assert "2 / 2" in rows[0] and "1 / 2" in rows[1] and "0 / 2" in rows[2]
    assert reverse("inscriptions:occurrence_cancel", args=[event.pk, first.pk]) in rows[0]
    assert reverse("inscriptions:occurrence_change", args=[event.pk, second.pk]) in rows[1]


def test_the_dates_views_queries_do_not_grow_with_the_dates(manager_client, home_page, django_assert_num_queries):
    counts = []
    for size in (3, 12):
        event, _dates = make_series(home_page, dates=size, capacity=2)
        url = reverse("inscriptions:dates", args=[event.pk])
        manager_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            manager_client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_series_page_leads_to_its_dates_and_one_dates_page_shows_only_its_people(manager_client, series):
    event, (first, second, _third) = series
    response = manager_client.get(reverse("inscriptions:event", args=[event.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("inscriptions:dates", args=[event.pk])
    html = manager_client.get(dated("event", event, first)).content.decode()
    assert "Alice" in html and "Chloé" in html and "Dora" not in html
    assert f"?date={first.pk}" in html.split('class="reg-toolbar"')[1].split("</nav>")[0]
    html = manager_client.get(dated("event", event, second)).content.decode()
    assert "Dora" in html and "Alice" not in html


def test_a_date_of_another_event_is_not_found(manager_client, series, home_page):
    event, (first, *_rest) = series
    other, (foreign, *_more) = make_series(home_page)
    assert manager_client.get(dated("event", event, foreign)).status_code == 404
    assert manager_client.get(reverse("inscriptions:event", args=[event.pk]) + "?date=abc").status_code == 404


def test_exports_carry_a_date_column_and_filter_by_date(manager_client, series):
    event, (first, second, _third) = series
    content = b"".join(manager_client.get(reverse("inscriptions:export", args=[event.pk, "csv"])).streaming_content)
    lines = content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Date;Prénom;Nom;")
    assert len(lines) == 5
    response = manager_client.get(dated("export", event, second, "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Date", "Prénom")
    assert [row[1] for row in rows[1:]] == ["Dora"]
    assert rows[1][0].date() == second.start.date()
    entry = PageLogEntry.objects.filter(action="registrations.export").order_by("pk").last()
    assert entry.data["occurrence"] == second.pk


def test_the_sign_in_sheet_and_the_check_in_page_are_per_date(manager_client, series):
    event, (first, second, _third) = series
    html = manager_client.get(dated("signin_html", event, first)).content.decode()
    assert "Alice" in html and "Bruno" in html and "Dora" not in html and "Chloé" not in html
    pdf = manager_client.get(dated("signin_pdf", event, second))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert second.start.date().isoformat() in pdf["Content-Disposition"]
    html = manager_client.get(dated("check_in", event, second)).content.decode()
    assert "Dora" in html and "Alice" not in html


def test_a_code_of_another_date_lets_nobody_in(manager_client, series):
    event, (first, second, _third) = series
    alice = Registration.objects.get(first_name="Alice")
    code = tokens.make_check_in_value(alice)
    response = manager_client.post(dated("check_in_code", event, second), {"code": code}, follow=True)
    assert "une autre date" in response.content.decode()
    alice.refresh_from_db()
    assert alice.checked_in_at is None
    manager_client.post(dated("check_in_code", event, first), {"code": code})
    alice.refresh_from_db()
    assert alice.checked_in_at is not None


def test_staff_add_a_registration_to_one_date(manager_client, series):
    event, (_first, second, _third) = series
    data = {"first_name": "Eve", "last_name": "Nom", "email": "eve@example.org", "seats": 1}
    response = manager_client.post(dated("event_add", event, second), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Registration.objects.get(first_name="Eve").occurrence == second


def test_the_listing_filters_by_date(manager_client, series):
    event, (first, second, _third) = series
    html = manager_client.get(reverse("inscriptions:index") + f"?occurrence={second.pk}").content.decode()
    assert "Dora" in html and "Alice" not in html


def test_cancelling_a_date_asks_first_then_tells_only_its_people(manager_client, series, commit):
    event, (first, second, _third) = series
    url = reverse("inscriptions:occurrence_cancel", args=[event.pk, first.pk])
    page = manager_client.get(url).content.decode()
    assert "3 personnes recevront un e-mail" in page
    manager_client.post(url, {"message": "Intervenante malade"})  # no confirmation: nothing happens
    first.refresh_from_db()
    assert first.status == OccurrenceStatus.SCHEDULED and mail.outbox == []
    with commit():
        response = manager_client.post(url, {"message": "Intervenante malade", "confirmer": "oui"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == OccurrenceStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "camille0@example.org",
        "camille1@example.org",
        "camille2@example.org",
    ]
    assert Registration.objects.get(first_name="Dora").status == S.CONFIRMED


def test_moving_a_date_is_confirmed_first_and_a_note_is_not(manager_client, series, commit):
    event, (first, _second, _third) = series
    url = reverse("inscriptions:occurrence_change", args=[event.pk, first.pk])
    form = manager_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["note"] = "Salle 2"
    with commit():
        assert manager_client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert first.note == "Salle 2" and mail.outbox == []
    new_start = (first.start + datetime.timedelta(hours=1)).astimezone(datetime.UTC)
    data["start"] = timezone_local(new_start)
    response = manager_client.post(url, data)
    assert response.status_code == 200 and "3 personnes inscrites à cette date recevront" in response.content.decode()
    first.refresh_from_db()
    assert first.start != new_start
    with commit():
        assert manager_client.post(url, {**data, "confirmer": "oui"}).status_code == 302
    first.refresh_from_db()
    assert first.start == new_start
    assert len(mail.outbox) == 3 and all(m.subject.startswith("Changement pour votre date") for m in mail.outbox)


def timezone_local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def test_people_without_the_registrations_permission_are_refused(editor_client, series):
    event, (first, *_rest) = series
    for url in (
        reverse("inscriptions:dates", args=[event.pk]),
        reverse("inscriptions:occurrence_cancel", args=[event.pk, first.pk]),
        reverse("inscriptions:occurrence_change", args=[event.pk, first.pk]),
        dated("event", event, first),
        dated("export", event, first, "csv"),
    ):
        assert editor_client.get(url).status_code in (302, 403), url
    editor_client.post(reverse("inscriptions:occurrence_cancel", args=[event.pk, first.pk]), {"confirmer": "oui"})
    first.refresh_from_db()
    assert first.status == OccurrenceStatus.SCHEDULED


def test_pages_of_one_date_send_a_series_without_date_to_its_dates(manager_client, series):
    event, _dates = series
    dates_url = reverse("inscriptions:dates", args=[event.pk])
    for name in ("check_in", "event_add", "signin_html", "signin_pdf", "email_attendees"):
        response = manager_client.get(reverse(f"inscriptions:{name}", args=[event.pk]))
        assert response.status_code == 302 and response["Location"] == dates_url, name


def test_the_export_command_takes_one_date(series, capsys):
    event, (first, second, _third) = series
    call_command("export_registrations", event.slug, "--date", str(second.pk))
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Date;Prénom") and len(lines) == 2 and "Dora" in lines[1]
    with pytest.raises(CommandError):
        call_command("export_registrations", event.slug, "--date", "999999")


def test_the_editors_panel_shows_each_dates_seats(client, series, django_user_model):
    event, (first, second, _third) = series
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "pw"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split("Places par date de la série")[1].split("</table>")[0]
    assert "2 / 2" in table and "1 / 2" in table and "0 / 2" in table
