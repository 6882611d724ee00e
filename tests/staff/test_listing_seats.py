"""The « Inscriptions (12/30) » button of the admin's page listings: read for all rows in the listing's query.

The explorer of the agenda and Agenda › Événements list up to 50 events; each row's
button shows its confirmed seats. Those come from the listing's own query (an
annotation), so that listing 50 events costs the same queries as listing 2.
"""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations.models import RegistrationMode, RegistrationStatus
from tests.registrations.factories import RegistrationFactory, make_event


def text(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def explorer_url(event):
    return reverse("wagtailadmin_explore", args=[event.get_parent().pk])


def add_events(home_page, count):
    events = []
    for number in range(count):
        event = make_event(home_page, title=f"Atelier {number}", capacity=30)
        RegistrationFactory.create_batch(2, event=event)
        RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
        events.append(event)
    return events


def queries_of(client, url):
    client.get(url)  # warm caches (content types, permissions, site)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("listing", ["explorer", "agenda"])
def test_listing_buttons_cost_no_query_per_event(admin_client, home_page, listing):
    first = add_events(home_page, 2)[0]
    url = explorer_url(first) if listing == "explorer" else reverse("evenements:index")
    few = queries_of(admin_client, url)
    add_events(home_page, 6)
    many = queries_of(admin_client, url)
    assert len(many) == len(few), many
    page = text(admin_client.get(url))
    assert page.count("Inscriptions (2/30)") == 8  # confirmed seats only: the waiting person holds none


def test_listing_button_counts_each_event_with_the_one_definition(admin_client, home_page):
    full = make_event(home_page, title="Complet", capacity=3)
    RegistrationFactory(event=full, seats=2)
    RegistrationFactory(event=full, seats=1)
    RegistrationFactory(event=full, seats=2, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=full, status=RegistrationStatus.PENDING)
    unlimited = make_event(home_page, title="Sans limite", capacity=None)
    RegistrationFactory(event=unlimited)
    make_event(home_page, title="Personne encore", capacity=12)
    make_event(home_page, title="Entrée libre", registration_mode=RegistrationMode.NONE)
    page = text(admin_client.get(explorer_url(full)))
    assert "Inscriptions (3/3)" in page
    assert "Inscriptions (1)" in page
    assert "Inscriptions (0/12)" in page
    assert page.count("Inscriptions (") == 3


def test_listing_button_keeps_its_permission_rule(editor_client, admin_client, home_page):
    event = make_event(home_page, capacity=30)
    RegistrationFactory(event=event)
    staff_page = reverse("inscriptions:event", args=[event.pk])
    tab = reverse("wagtailadmin_pages:edit", args=[event.pk]) + "#tab-inscriptions"
    for client, shown, hidden in [(admin_client, staff_page, tab), (editor_client, tab, staff_page)]:
        page = text(client.get(explorer_url(event)))
        assert "Inscriptions (1/30)" in page
        assert f'href="{shown}"' in page
        assert f'href="{hidden}"' not in page


def test_explorer_search_and_filters_still_show_the_button(admin_client, home_page):
    event = make_event(home_page, title="Atelier vélo", capacity=10)
    RegistrationFactory.create_batch(4, event=event)
    url = explorer_url(event)
    assert "Inscriptions (4/10)" in text(admin_client.get(url, {"q": "vélo"}))
    results = reverse("wagtailadmin_explore_results", args=[event.get_parent().pk])
    assert "Inscriptions (4/10)" in text(admin_client.get(results, {"has_child_pages": "false"}))


def test_page_menu_of_the_admin_api_is_unchanged(admin_client, home_page):
    """The same hook shapes the sidebar's page menu (the admin API): it still answers, without seats."""
    event = make_event(home_page)
    response = admin_client.get(
        "/admin/api/main/pages/", {"child_of": event.get_parent().pk, "for_explorer": 1, "fields": "title"}
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [event.pk]
