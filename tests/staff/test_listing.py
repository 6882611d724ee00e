"""The "Inscriptions" listing: filters, search, answer columns, constant queries; event page buttons."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.admin.listing import listed_registrations
from registrations.models import RegistrationStatus
from tests.registrations.factories import RegistrationFactory, add_question, make_event
from tests.registrations.series import add_date, make_series

INDEX = "inscriptions:index"


def names(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def two_events(home_page):
    past = make_event(home_page, title="Atelier passé", start=timezone.now() - datetime.timedelta(days=3))
    future = make_event(home_page, title="Atelier à venir")
    RegistrationFactory(event=past, first_name="Présente", last_name="Un", checked_in_at=timezone.now())
    RegistrationFactory(event=past, first_name="Absente", last_name="Deux")
    RegistrationFactory(event=future, first_name="Future", last_name="Trois", organisation="Régie de quartier")
    RegistrationFactory(event=future, first_name="Attente", last_name="Quatre", status=RegistrationStatus.WAITLISTED)
    return past, future


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Présente", "Absente", "Future", "Attente"}),
        ({"status": "waitlisted"}, {"Attente"}),
        ({"attendance": "present"}, {"Présente"}),
        ({"attendance": "absent"}, {"Absente"}),
        ({"attendance": "unknown"}, {"Future", "Attente"}),
        ({"q": "régie"}, {"Future"}),
        ({"q": "deux"}, {"Absente"}),
    ],
)
def test_filters_and_search(manager_client, two_events, params, expected):
    page = names(manager_client.get(reverse(INDEX), params))
    shown = {name for name in ("Présente", "Absente", "Future", "Attente") if f"{name} " in page}
    assert shown == expected


def test_event_filter_shows_one_column_per_question(manager_client, two_events):
    past, future = two_events
    question = add_question(future, "Vient à vélo ?", field_type="checkbox")
    registration = future.registrations.get(first_name="Future")
    registration.answers = {question.answer_key: True}
    registration.save()
    page = names(manager_client.get(reverse(INDEX), {"event": future.pk}))
    assert "Vient à vélo ?" in page and "Absente" not in page
    summary = names(manager_client.get(reverse(INDEX)))
    assert "Vient à vélo ? : Oui" in summary


def test_sortable_columns(manager_client, two_events):
    page = names(manager_client.get(reverse(INDEX), {"ordering": "last_name"}))
    assert page.index("Deux") < page.index("Quatre") < page.index("Trois") < page.index("Un")


def test_listing_runs_a_constant_number_of_queries(manager_client, home_page, django_assert_num_queries):
    event = make_event(home_page)
    add_question(event, "Question")
    other = make_event(home_page)
    RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory.create_batch(2, event=other)
    url = reverse(INDEX)
    manager_client.get(url)  # warm caches (content types, permissions, site)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    RegistrationFactory.create_batch(25, event=event)
    RegistrationFactory.create_batch(20, event=other)
    with CaptureQueriesContext(connection) as many:
        assert manager_client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_page_listing_button_shows_counts_to_everyone(editor_client, client, admin_user, home_page):
    event = make_event(home_page, capacity=30)
    RegistrationFactory.create_batch(2, event=event, first_name="Confidentielle")
    explorer = reverse("wagtailadmin_explore", args=[event.get_parent().pk])
    editor_page = names(editor_client.get(explorer))
    assert "Inscriptions (2/30)" in editor_page
    assert "Confidentielle" not in editor_page
    assert reverse("inscriptions:event", args=[event.pk]) not in editor_page
    client.force_login(admin_user)
    manager_page = names(client.get(explorer))
    assert reverse("inscriptions:event", args=[event.pk]) in manager_page


def test_page_editor_header_links_to_registrations(client, admin_user, home_page):
    event = make_event(home_page, capacity=None)
    RegistrationFactory(event=event)
    client.force_login(admin_user)
    page = names(client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])))
    assert "Inscriptions (1)" in page
    assert reverse("inscriptions:event", args=[event.pk]) in page


def test_menu_shows_inscriptions_to_managers_only(client, manager, editor):
    client.force_login(manager)
    assert "Toutes les inscriptions" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert "Toutes les inscriptions" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_event_filter_offers_its_exports(manager_client, two_events):
    _past, future = two_events
    page = names(manager_client.get(reverse(INDEX), {"event": future.pk}))
    assert reverse("inscriptions:export", args=[future.pk, "xlsx"]) in page
    assert reverse("inscriptions:export", args=[future.pk, "csv"]) not in names(manager_client.get(reverse(INDEX)))


@pytest.mark.parametrize("url_name", ["inscriptions:event", "inscriptions:check_in", "inscriptions:signin_html"])
def test_event_pages_run_a_constant_number_of_queries(manager_client, home_page, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event(home_page)
    RegistrationFactory.create_batch(5, event=event)
    url = reverse(url_name, args=[event.pk])
    manager_client.get(url)
    with CaptureQueriesContext(connection) as few:
        manager_client.get(url)
    RegistrationFactory.create_batch(45, event=event)
    RegistrationFactory.create_batch(5, event=event, status=RegistrationStatus.PENDING)
    with CaptureQueriesContext(connection) as many:
        manager_client.get(url)
    assert len(many) == len(few)


def option_ids(page, name):
    """The values of the ``<select name=…>`` options of the listing's filters."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    return [int(value) for value in re.findall(r'<option value="(\d+)"', select.group(1))]


def test_event_filter_offers_the_months_a_manager_works_on(manager_client, home_page):
    now = timezone.now()
    old = make_event(home_page, title="Atelier d'il y a deux ans", start=now - datetime.timedelta(days=730))
    recent = make_event(home_page, title="Atelier du mois dernier", start=now - datetime.timedelta(days=40))
    soon = make_event(home_page, title="Atelier du mois prochain", start=now + datetime.timedelta(days=40))
    far = make_event(home_page, title="Atelier dans un an", start=now + datetime.timedelta(days=365))
    for event in (old, recent, soon, far):
        RegistrationFactory(event=event, first_name=f"Personne-{event.pk}")
    page = names(manager_client.get(reverse(INDEX)))
    assert option_ids(page, "event") == [recent.pk, soon.pk]  # by date
    assert f"Atelier du mois prochain — {soon.start.astimezone():%d/%m/%Y}" in page
    # A bookmarked URL of any event keeps working: its event is offered, chosen, and filters the rows.
    for event in (old, far):
        page = names(manager_client.get(reverse(INDEX), {"event": event.pk}))
        assert f"Personne-{event.pk} " in page
        assert f"Personne-{soon.pk} " not in page
        assert event.pk in option_ids(page, "event")
        assert re.search(rf'<option value="{event.pk}" selected>', page)
    unknown = names(manager_client.get(reverse(INDEX), {"event": 999999}))
    assert 999999 not in option_ids(unknown, "event")  # an unknown event is not offered (the filter is refused)


def test_event_filter_does_not_grow_with_the_agenda(manager_client, home_page):
    now = timezone.now()
    make_event(home_page, title="Atelier proche", start=now + datetime.timedelta(days=3))
    page = names(manager_client.get(reverse(INDEX)))
    before = option_ids(page, "event")
    for days in range(200, 230):  # a full agenda beyond six months
        make_event(home_page, title=f"Atelier lointain {days}", start=now + datetime.timedelta(days=days))
    assert option_ids(names(manager_client.get(reverse(INDEX))), "event") == before


def test_date_filter_offers_the_same_months_and_any_date_in_the_url(manager_client, home_page):
    event, (soon, *_others) = make_series(home_page, dates=2)
    far = add_date(event, 400)
    RegistrationFactory(event=event, occurrence=soon, first_name="Bientôt")
    RegistrationFactory(event=event, occurrence=far, first_name="Plus-tard")
    page = names(manager_client.get(reverse(INDEX)))
    assert soon.pk in option_ids(page, "occurrence") and far.pk not in option_ids(page, "occurrence")
    page = names(manager_client.get(reverse(INDEX), {"occurrence": far.pk}))
    assert "Plus-tard " in page and "Bientôt " not in page
    assert far.pk in option_ids(page, "occurrence")
    # The bulk actions' "select all in listing" reads the same filters: the far date's people only.
    assert list(listed_registrations({"occurrence": str(far.pk)}).values_list("first_name", flat=True)) == ["Plus-tard"]
