"""Who sees personal data: every staff URL for anonymous visitors, editors outside the group, managers."""

import pytest
from django.urls import reverse

from tests.registrations.factories import RegistrationFactory

SECRET_NAME = "Zéphyrine"
SECRET_EMAIL = "zephyrine.secret@example.org"


@pytest.fixture
def registration(event):
    return RegistrationFactory(event=event, first_name=SECRET_NAME, last_name="Lagarde", email=SECRET_EMAIL)


def personal_urls(event, registration):
    return [
        reverse("inscriptions:index"),
        reverse("inscriptions:index") + "?q=Lagarde",
        reverse("inscriptions:event", args=[event.pk]),
        reverse("inscriptions:check_in", args=[event.pk]),
        reverse("inscriptions:export", args=[event.pk, "csv"]),
        reverse("inscriptions:export", args=[event.pk, "xlsx"]),
        reverse("inscriptions:signin_pdf", args=[event.pk]),
        reverse("inscriptions:signin_html", args=[event.pk]),
        reverse("inscriptions_rapports:index"),
        reverse("inscriptions:edit", args=[registration.pk]),
        reverse("inscriptions:add"),
        reverse("inscriptions:event_add", args=[event.pk]),
        reverse("inscriptions:email_attendees", args=[event.pk]),
        reverse("inscriptions:history", args=[registration.pk]),
    ]


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(
            chunk.encode() if isinstance(chunk, str) else chunk for chunk in response.streaming_content
        ).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_anonymous_visitors_are_sent_to_login(client, event, registration):
    for url in personal_urls(event, registration):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"], url


def test_editors_outside_the_group_see_nothing_personal(editor_client, event, registration):
    for url in personal_urls(event, registration):
        response = editor_client.get(url)
        assert response.status_code in (302, 403), url
        text = body(response)
        assert SECRET_NAME not in text and SECRET_EMAIL not in text, url


def test_editors_cannot_act_either(editor_client, event, registration):
    bulk_cancel = reverse("wagtail_bulk_action", args=["registrations", "registration", "cancel"])
    response = editor_client.post(f"{bulk_cancel}?id={registration.pk}")
    assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect home
    for url_name in ("approve", "check_in_one", "check_out_one", "resend"):
        response = editor_client.post(reverse(f"inscriptions:{url_name}", args=[registration.pk]))
        assert response.status_code in (302, 403), url_name
    response = editor_client.post(reverse("inscriptions:promote_waitlist", args=[event.pk]))
    assert response.status_code in (302, 403)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert registration.checked_in_at is None


def test_managers_see_the_data(manager_client, event, registration):
    expects_name = {
        reverse("inscriptions:index"),
        reverse("inscriptions:index") + "?q=Lagarde",
        reverse("inscriptions:event", args=[event.pk]),
        reverse("inscriptions:check_in", args=[event.pk]),
        reverse("inscriptions:export", args=[event.pk, "csv"]),
        reverse("inscriptions:signin_html", args=[event.pk]),
        reverse("inscriptions:edit", args=[registration.pk]),
    }
    for url in personal_urls(event, registration):
        response = manager_client.get(url)
        assert response.status_code == 200, url
        if url in expects_name:
            assert SECRET_NAME in body(response), url


def test_superusers_are_managers(client, admin_user, event, registration):
    client.force_login(admin_user)
    assert client.get(reverse("inscriptions:event", args=[event.pk])).status_code == 200


def test_nobody_deletes_registrations(manager_client, admin_user, client, registration):
    url = reverse("inscriptions:delete", args=[registration.pk])
    assert manager_client.get(url).status_code in (302, 403)
    client.force_login(admin_user)
    assert client.post(url).status_code in (302, 403)
    registration.refresh_from_db()
