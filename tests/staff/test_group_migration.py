"""The data migration creates the "Gestion des inscriptions" group with exactly what it needs."""

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.registrations.factories import RegistrationFactory


def test_group_exists_with_its_permissions(db):
    group = Group.objects.get(name="Gestion des inscriptions")
    codenames = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert codenames == {
        "registrations.manage_registrations",
        "registrations.view_registration",
        "registrations.change_registration",
        "wagtailadmin.access_admin",
        "outbox.manage_outgoingemail",  # the site's e-mails hold the same personal data (0007)
    }


def test_a_member_of_the_migrated_group_sees_attendees(django_user_model, event):
    RegistrationFactory(event=event, first_name="Visible")
    user = django_user_model.objects.create_user(username="accueil", password="pw")
    user.groups.add(Group.objects.get(name="Gestion des inscriptions"))
    client = Client()
    client.force_login(user)
    response = client.get(reverse("inscriptions:event", args=[event.pk]))
    assert response.status_code == 200
    assert "Visible" in response.content.decode()
