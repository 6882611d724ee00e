"""The "Inscriptions" tab of the event editor shows the counts to every editor, the way in to managers only."""

import pytest

from registrations.models import RegistrationStatus
from tests.registrations.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_event(event):
    RegistrationFactory.create_batch(3, event=event, status=RegistrationStatus.CONFIRMED, seats=1)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED, last_name="Attente")
    RegistrationFactory(event=event, status=RegistrationStatus.PENDING, last_name="Avalider")
    return event


def edit_page(client, event):
    response = client.get(f"/admin/pages/{event.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_editor_outside_the_group_sees_counts_and_nothing_personal(editor_client, busy_event):
    html = edit_page(editor_client, busy_event)
    assert "Inscriptions en cours" in html
    assert "Places confirmées" in html and "3 / 30" in html
    assert "Voir et gérer les inscriptions" not in html
    assert "Attente" not in html and "Avalider" not in html


def test_manager_gets_the_link_to_the_event_registrations(manager_client, manager, busy_event):
    from wagtail.models import GroupPagePermission

    # The manager may also edit the page here, to reach its editor.
    group = manager.groups.first()
    from django.contrib.auth.models import Permission

    GroupPagePermission.objects.get_or_create(
        group=group, page=busy_event.get_parent(), permission=Permission.objects.get(codename="change_page")
    )
    html = edit_page(manager_client, busy_event)
    assert "3 / 30" in html
    from django.urls import reverse

    assert f'href="{reverse("inscriptions:event", args=[busy_event.pk])}"' in html
