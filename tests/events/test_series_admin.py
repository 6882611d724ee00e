"""Editors describe a series in the « Répétition » panel, read its dates in the draft, then publish."""

import re

import pytest
from django.contrib.messages import get_messages

from events.models import EventPage, Occurrence
from tests.events.test_admin import event_form_data
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def series_form_data(weekdays=("2",), **overrides):
    """The editor's form for a weekly series on Wednesdays (boxes ticked: ``weekdays``)."""
    data = {
        "schedule": "series",
        "start": "",
        "end": "",
        "repeat_frequency": "weekly",
        "repeat_from": "2099-10-07",
        "repeat_until": "2099-11-18",
        "repeat_start_time": "14:00",
        "repeat_end_time": "17:00",
        "repeat_skip_public_holidays": "on",
        "repeat_skip_school_holidays": "on",
        "repeat_skip_dates": "04/11/2099",
    }
    data.update(overrides)
    form = event_form_data(**data)
    form["repeat_weekdays"] = list(weekdays)
    return form


def rows(html):
    table = html.split('class="rule-dates"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]  # after the header row
    # Collapse the markup's spaces, not the no-break spaces of the French times.
    return [re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in cells]


def test_the_draft_shows_its_dates_and_the_left_out_ones_with_their_reason(admin_client, agenda):
    data = series_form_data()
    del data["action-publish"]
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    page = EventPage.objects.get(slug="atelier-cartographie")
    assert not page.live and not Occurrence.objects.filter(event=page).exists()

    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert "Répétition" in html
    assert re.search(r'<input[^>]*name="repeat_weekdays"[^>]*value="2"[^>]*checked', html)
    assert "3 dates programmées</strong>, 4 dates retirées" in html
    # 2099: zone A's Toussaint holidays from Saturday 17 October; 11 November falls on a Wednesday.
    assert rows(html) == [
        "mercredi 7 octobre 2099, 14\u00a0h\u00a0– 17\u00a0h Programmée",
        "mercredi 14 octobre 2099, 14\u00a0h\u00a0– 17\u00a0h Programmée",
        "mercredi 21 octobre 2099 Retirée (vacances de la Toussaint)",
        "mercredi 28 octobre 2099 Retirée (vacances de la Toussaint)",
        "mercredi 4 novembre 2099 Retirée (date retirée par l&#x27;équipe)",
        "mercredi 11 novembre 2099 Retirée (férié : Armistice)",
        "mercredi 18 novembre 2099, 14\u00a0h\u00a0– 17\u00a0h Programmée",
    ]


def test_publishing_creates_the_dates_and_spans_the_page(admin_client, agenda):
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", series_form_data())
    assert response.status_code == 302, response.context["form"].errors
    page = EventPage.objects.get(slug="atelier-cartographie")
    assert page.live
    assert Occurrence.objects.filter(event=page).count() == 3
    assert page.start.isoformat() == "2099-10-07T12:00:00+00:00"


def test_a_series_without_weekday_is_refused_next_to_the_boxes(admin_client, agenda):
    """Even with nothing else of the rule typed in: the editor must describe it."""
    for overrides in ({}, {"repeat_from": "", "repeat_until": "", "repeat_start_time": "", "repeat_end_time": ""}):
        data = series_form_data(weekdays=(), **overrides)
        response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
        assert response.status_code == 200
        assert response.context["form"].errors["repeat_weekdays"] == ["Cochez au moins un jour de la semaine."]


def test_the_editor_is_told_which_booked_dates_are_kept(admin_client, agenda):
    admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", series_form_data())
    page = EventPage.objects.get(slug="atelier-cartographie")
    booked = page.occurrences.order_by("start").first()
    make_registration(page, occurrence=booked)
    data = series_form_data(repeat_skip_dates="07/10/2099")
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("mercredi 7 octobre 2099" in message and "est gardée" in message for message in messages), messages
    assert page.occurrences.filter(pk=booked.pk).exists()
