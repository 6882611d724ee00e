"""The demo staff accounts exist only through `ensure_dev_admin`, which refuses to run outside DEBUG."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from events.demo import REVIEWED_TRAINING_SLUG
from events.models import EventPage
from registrations.admin.permissions import can_manage_registrations

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_demo_content_creates_no_account():
    call_command("setup_site", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_dev_accounts_are_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("ensure_dev_admin", stdout=io.StringIO())
    assert not User.objects.exists()


def test_dev_accounts_show_the_three_team_roles(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("ensure_dev_admin", stdout=out)
    call_command("ensure_dev_admin", stdout=io.StringIO())  # idempotent

    assert set(User.objects.values_list("username", flat=True)) == {"admin", "gestion", "redaction", "administration"}
    printed = out.getvalue()
    for credentials in (
        "« gestion »",
        "« coursive-gestion »",
        "« redaction »",
        "« coursive-redaction »",
        "« administration »",
    ):
        assert credentials in printed

    manager = User.objects.get(username="gestion")
    editor = User.objects.get(username="redaction")
    assert manager.check_password("coursive-gestion") and editor.check_password("coursive-redaction")
    assert not (manager.is_superuser or editor.is_superuser)
    assert list(manager.groups.values_list("name", flat=True)) == ["Gestion des inscriptions"]
    assert not editor.groups.filter(name="Gestion des inscriptions").exists()
    assert can_manage_registrations(manager) and not can_manage_registrations(editor)
    assert manager.has_perm("wagtailadmin.access_admin") and editor.has_perm("wagtailadmin.access_admin")

    event = EventPage.objects.get(slug=REVIEWED_TRAINING_SLUG)
    assert event.permissions_for_user(editor).can_edit()
    assert event.permissions_for_user(editor).can_publish()  # Rédaction publishes without a superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Rédaction"]
    admin_role = User.objects.get(username="administration")
    assert admin_role.has_perm("auth.change_user") and admin_role.has_perm("home.change_sitesettings")
    assert not can_manage_registrations(admin_role) and not editor.has_perm("auth.change_user")
