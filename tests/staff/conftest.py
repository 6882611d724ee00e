"""Fixtures for the staff tooling: one event, staff users with and without the registrations group."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from registrations.models import Registration
from tests.registrations.factories import make_event


@pytest.fixture
def event(home_page):
    """Exports and the command find it by slug and title; the figures panel shows its 30 seats."""
    return make_event(home_page, title="Atelier numérique", slug="atelier-numerique", capacity=30)


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@pytest.fixture
def manager_group(db):
    """The "Gestion des inscriptions" group (created by the data migration; fetched or made here)."""
    group, _created = Group.objects.get_or_create(name="Gestion des inscriptions")
    registration_type = ContentType.objects.get_for_model(Registration)
    group.permissions.add(
        _admin_access(),
        *Permission.objects.filter(
            content_type=registration_type,
            codename__in=["manage_registrations", "view_registration", "change_registration"],
        ),
    )
    return group


@pytest.fixture
def manager(django_user_model, manager_group):
    """A staff member in the registrations group."""
    user = django_user_model.objects.create_user(username="gestion", password="pw", email="gestion@example.org")
    user.groups.add(manager_group)
    return user


@pytest.fixture
def editor(django_user_model, home_page):
    """An editor who may edit pages (Wagtail's "Editors" group) but is not in the registrations group."""
    user = django_user_model.objects.create_user(username="redaction", password="pw", email="redac@example.org")
    group, _created = Group.objects.get_or_create(name="Rédaction")
    group.permissions.add(_admin_access())
    from wagtail.models import GroupPagePermission

    for permission in ["add_page", "change_page", "publish_page"]:
        GroupPagePermission.objects.get_or_create(
            group=group, page=home_page, permission=Permission.objects.get(codename=permission)
        )
    user.groups.add(group)
    return user


@pytest.fixture
def manager_client(manager):
    """A client logged in as the manager (its own Client, so it can sit beside ``editor_client``)."""
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client
