"""One event's registrations page is paginated: 50 people a page, the counts still cover them all.

An event with a thousand registrations drew every row (docs/performance.md, « Cost with 1,000
events »); the page now reads and draws one page of rows, in the same queries whatever their number.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.admin.event import PER_PAGE, EventRegistrationsView
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import RegistrationFactory, make_event, person
from tests.registrations.series import make_series

S = RegistrationStatus


def text(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def register(event, count, status=S.CONFIRMED, first=0, **fields):
    """``count`` people named « Personne003 » etc., registered one minute apart in that order."""
    start = timezone.now() - datetime.timedelta(days=1)
    return [
        RegistrationFactory(
            event=event,
            status=status,
            first_name="Personne",
            last_name=f"{number:03d}",
            created_at=start + datetime.timedelta(minutes=number),
            **fields,
        )
        for number in range(first, first + count)
    ]


def listed(page):
    """The people the page lists, in order (« 003 Personne »)."""
    return re.findall(r"<td>(\d{3}) Personne", page)


@pytest.fixture
def big_event(home_page):
    """3 requests to decide, 60 confirmed (two of them present), 2 cancelled: 65 rows, two pages."""
    event = make_event(home_page, title="Grand atelier", capacity=100)
    register(event, 3, S.PENDING, first=0)
    register(event, 60, S.CONFIRMED, first=100)
    register(event, 2, S.CANCELLED, first=900)
    Registration.objects.filter(event=event, last_name__in=["100", "159"]).update(
        checked_in_at=timezone.now(), seats_present=1
    )
    return event


def url(event, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("inscriptions:event", args=[event.pk]) + (f"?{query}" if query else "")


def test_page_one_lists_fifty_people_in_section_order(manager_client, big_event):
    page = text(manager_client.get(url(big_event)))
    names = listed(page)
    assert PER_PAGE == 50 and len(names) == 50
    assert names[:3] == ["000", "001", "002"]  # requests to decide first
    assert names[3:] == [f"{n:03d}" for n in range(100, 147)]  # then the confirmed, by date of registration
    assert "Page 1 sur 2 : inscriptions 1 à 50 sur 65." in page
    assert "Sur cette page : n° 1 à 47 sur 60." in page


def test_page_two_lists_the_next_people_and_the_counts_stay_whole(manager_client, big_event):
    page = text(manager_client.get(url(big_event, p=2)))
    assert listed(page) == [f"{n:03d}" for n in range(147, 160)] + ["900", "901"]
    assert "Page 2 sur 2 : inscriptions 51 à 65 sur 65." in page
    # The headings and the tiles count every registration, not the page's.
    assert "Demandes à valider (3)" in page
    assert "Inscriptions confirmées (60)" in page
    assert "Annulées ou refusées (2)" in page
    assert re.search(r"Places confirmées</dt><dd>60 / 100</dd>", page)
    assert re.search(r"Présent·es</dt><dd>2</dd>", page)
    assert "Sur cette page : n° 48 à 60 sur 60." in page
    # The requests are on page 1: a link says so, and « Aucune demande » would be untrue.
    assert f'href="{url(big_event)}#pending-title"' in page
    assert "Listées à partir de la page 1" in page
    assert "Aucune demande en attente." not in page


def test_pages_link_to_each_other_and_a_wrong_number_shows_a_page(manager_client, big_event):
    first = text(manager_client.get(url(big_event)))
    assert f'href="{url(big_event, p=2)}" rel="next"' in first
    second = text(manager_client.get(url(big_event, p=2)))
    assert f'href="{url(big_event)}" rel="prev"' in second
    assert listed(text(manager_client.get(url(big_event, p=99)))) == listed(second)  # the last page
    assert listed(text(manager_client.get(url(big_event, p="deux")))) == listed(first)


def test_a_small_event_shows_no_pages(manager_client, event):
    register(event, 3)
    page = text(manager_client.get(url(event)))
    assert len(listed(page)) == 3
    assert "Pages des inscriptions" not in page
    assert "Sur cette page" not in page


def test_actions_come_back_to_the_same_page(manager_client, big_event):
    page = text(manager_client.get(url(big_event, p=2)))
    back = url(big_event, p=2)
    # The ticked boxes' bulk actions and the one-row buttons both carry this page as "next".
    assert page.count(f'<input type="hidden" name="next" value="{back}">') == 2
    someone = Registration.objects.get(event=big_event, last_name="150")
    assert f"next={back.replace('?', '%3F').replace('=', '%3D')}" in page  # « Annuler » of a row
    response = manager_client.post(reverse("inscriptions:check_in_one", args=[someone.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    someone.refresh_from_db()
    assert someone.checked_in_at is not None


def test_bulk_check_in_of_ticked_people_on_page_two(manager_client, big_event):
    ticked = list(Registration.objects.filter(event=big_event, last_name__in=["150", "151"]))
    bulk = reverse("wagtail_bulk_action", args=["registrations", "registration", "check_in"])
    back = url(big_event, p=2)
    query = "&".join(f"id={registration.pk}" for registration in ticked)
    response = manager_client.post(f"{bulk}?{query}&next={back.replace('?', '%3F').replace('=', '%3D')}")
    assert response.status_code == 302 and response.url == back
    assert all(Registration.objects.get(pk=r.pk).checked_in_at for r in ticked)


def test_one_date_of_a_series_is_paginated_and_keeps_its_date(manager_client, home_page, monkeypatch):
    monkeypatch.setattr(EventRegistrationsView, "per_page", 2)
    event, (first, second, _third) = make_series(home_page, capacity=10)
    for n in range(3):
        services.register(event, occurrence=first, **person(n, first_name="Personne", last_name=f"{n:03d}"))
    services.register(event, occurrence=second, **person(9, first_name="Personne", last_name="900"))
    dated = f"{url(event)}?date={first.pk}"
    page_one = text(manager_client.get(dated))
    assert listed(page_one) == ["000", "001"]
    assert f'href="{dated}&amp;p=2" rel="next"' in manager_client.get(dated).content.decode()
    page_two = text(manager_client.get(f"{dated}&p=2"))
    assert listed(page_two) == ["002"]  # the next person of that date, not the other date's
    assert "Inscriptions confirmées (3)" in page_two


def test_query_count_does_not_grow_with_the_registrations(manager_client, home_page):
    """Every section present in both; ten times more people, some paying, then far past one page."""
    event = make_event(home_page, capacity=500)
    statuses = [S.PENDING, S.WAITLISTED, S.OFFERED, S.UNVERIFIED, S.AWAITING_PAYMENT, S.CONFIRMED, S.CANCELLED]
    for status in statuses:
        register(event, 1, status, expires_at=timezone.now() + datetime.timedelta(hours=1))
    address = url(event)
    manager_client.get(address)  # warm caches (content types, permissions, site)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(address).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    few = queries()
    for status in statuses:
        register(event, 20, status, first=100, expires_at=timezone.now() + datetime.timedelta(hours=1))
    many = queries()
    assert len(many) == len(few), many
    assert len(listed(text(manager_client.get(address)))) == PER_PAGE
