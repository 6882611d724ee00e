"""Wagtail's bulk actions on registrations: managers only, a confirmation first, the services do the work."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from registrations.models import Registration, RegistrationMode, RegistrationStatus
from tests.registrations.factories import RegistrationFactory, make_event

BULK_ACTIONS = ["approve", "reject", "check_in", "cancel", "check_out"]


def action_url(action):
    return reverse("wagtail_bulk_action", args=["registrations", "registration", action])


def bulk_url(action, ids, **params):
    return action_url(action) + "?" + urlencode([("id", pk) for pk in ids] + list(params.items()))


def text(response):
    return html.unescape(response.content.decode())


def logged_actions(registration):
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration), object_id=str(registration.pk)
        ).values_list("action", "user__username")
    )


@pytest.fixture
def review_event(home_page):
    return make_event(home_page, title="Atelier sur validation", registration_mode=RegistrationMode.REVIEW)


@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_non_managers_are_refused_and_nothing_changes(
    editor_client, review_event, action, django_capture_on_commit_callbacks
):
    pending = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING, first_name="Ondine")
    confirmed = RegistrationFactory(event=review_event, first_name="Séverin")
    url = bulk_url(action, [pending.pk, confirmed.pk], next=reverse("inscriptions:event", args=[review_event.pk]))

    response = editor_client.get(url)
    assert response.status_code in (302, 403)
    assert "Ondine" not in text(response) and "Séverin" not in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"notify": "1"})
    assert response.status_code in (302, 403)

    pending.refresh_from_db()
    confirmed.refresh_from_db()
    assert (pending.status, confirmed.status) == (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)
    assert pending.checked_in_at is None and confirmed.checked_in_at is None
    assert logged_actions(pending) == [] and logged_actions(confirmed) == []
    assert mail.outbox == []


def test_anonymous_visitors_are_sent_to_login(client, event):
    registration = RegistrationFactory(event=event)
    response = client.get(bulk_url("cancel", [registration.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_manager_approves_two_requests_after_confirming(manager_client, manager, review_event):
    first = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING, first_name="Aurore")
    second = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING, first_name="Basile")
    event_url = reverse("inscriptions:event", args=[review_event.pk])
    url = bulk_url("approve", [first.pk, second.pk], next=event_url)

    page = text(manager_client.get(url))
    assert first.full_name in page and second.full_name in page
    assert "Confirmer l'acceptation" in page
    assert Registration.objects.filter(status=RegistrationStatus.PENDING).count() == 2  # nothing yet

    response = manager_client.post(url)
    assert response.status_code == 302 and response["Location"] == event_url
    for registration in (first, second):
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CONFIRMED
        assert ("registrations.approve", manager.username) in logged_actions(registration)
    page = text(manager_client.get(event_url))
    assert f"Demandes acceptées : {first.full_name}, {second.full_name}." in page


@pytest.mark.parametrize(("data", "mails"), [({}, 0), ({"notify": "1"}, 1)])
def test_bulk_cancel_emails_the_person_only_when_asked(
    manager_client, event, data, mails, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event, email="annulation@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(bulk_url("cancel", [registration.pk]), data)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert len(mail.outbox) == mails


def test_select_all_in_listing_keeps_the_listing_filters(manager_client, event, home_page):
    other = make_event(home_page, title="Autre atelier")
    here = RegistrationFactory(event=event, first_name="Ici")
    elsewhere = RegistrationFactory(event=other, first_name="Ailleurs")
    url = bulk_url("check_in", ["all"], event=event.pk)

    page = text(manager_client.get(url))
    assert here.full_name in page and elsewhere.full_name not in page
    manager_client.post(url)
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert here.checked_in_at is not None
    assert elsewhere.checked_in_at is None


def test_nothing_ticked_goes_back_with_a_warning(manager_client, event):
    event_url = reverse("inscriptions:event", args=[event.pk])
    response = manager_client.get(bulk_url("approve", [], next=event_url))
    assert response.status_code == 302 and response["Location"] == event_url
    assert "Cochez au moins une inscription." in text(manager_client.get(event_url))


def test_listing_has_the_bulk_action_checkboxes_and_footer(manager_client, event):
    RegistrationFactory.create_batch(2, event=event)
    page = text(manager_client.get(reverse("inscriptions:index")))
    assert page.count("data-bulk-action-checkbox") == 2
    assert "wagtailadmin/js/bulk-actions.js" in page
    for action in BULK_ACTIONS:
        assert action_url(action) in page


def test_event_page_sends_ticked_rows_to_the_bulk_actions_by_get(manager_client, review_event):
    pending = RegistrationFactory(event=review_event, status=RegistrationStatus.PENDING)
    RegistrationFactory(event=review_event)
    page = manager_client.get(reverse("inscriptions:event", args=[review_event.pk])).content.decode()
    ticked = re.search(r'<form id="ticked-registrations" method="get">(.*?)</form>', page, re.DOTALL).group(1)
    assert "csrfmiddlewaretoken" not in ticked  # a GET form: the token would end up in the URL
    assert f'name="id" value="{pending.pk}"' in ticked
    for action in BULK_ACTIONS:
        assert f'formaction="{action_url(action)}"' in ticked
    assert f'href="{action_url("cancel")}?id={pending.pk}&amp;next=' in ticked  # one row's "Annuler"
    row_actions = re.search(r'<form id="row-actions" method="post">(.*?)</form>', page, re.DOTALL).group(1)
    assert "csrfmiddlewaretoken" in row_actions
