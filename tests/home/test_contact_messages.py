"""Contact-form messages in the admin: only their readers see them, exports are formula-safe, old ones go."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import GroupPagePermission

from home import contact as contact_rules
from tests.home.factories import ContactPageFactory

pytestmark = pytest.mark.django_db

DDE = "=cmd|' /C calc'!A0"


@pytest.fixture
def contact(home_page):
    return ContactPageFactory(parent=home_page)


def submit(contact, *, when=None, **data):
    submission = FormSubmission.objects.create(
        page=contact, form_data={"nom": "Camille Martin", "e_mail": "camille@example.org", "message": "Bonjour", **data}
    )
    if when:
        FormSubmission.objects.filter(pk=submission.pk).update(submit_time=when)
    return submission


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    """A member of Wagtail's own "Editors" group: edits every page, contact page included."""
    user = django_user_model.objects.create_user(username="redaction", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(username="moderation", password="pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def reader(django_user_model):
    """A member of the "Messages du site" group, with no page rights at all."""
    user = django_user_model.objects.create_user(username="accueil", password="pw")
    user.groups.add(Group.objects.get(name=contact_rules.GROUP_NAME))
    return user


def refused(response):
    """Wagtail's admin answers a permission refusal with a redirect to the dashboard (and a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def urls(contact, submission):
    listing = reverse("wagtailforms:list_submissions", args=[contact.pk])
    return {
        "list": listing,
        "csv": listing + "?export=csv",
        "xlsx": listing + "?export=xlsx",
        "delete": reverse("wagtailforms:delete_submissions", args=[contact.pk])
        + f"?selected-submissions={submission.pk}",
    }


def test_the_migration_creates_the_readers_group_with_exactly_its_permissions():
    group = Group.objects.get(name="Messages du site")
    codenames = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert codenames == {"home.read_contact_messages", "wagtailadmin.access_admin"}


@pytest.mark.parametrize("who", ["editor", "moderator"])
def test_editors_and_moderators_can_neither_read_export_nor_delete_messages(request, contact, who):
    user = request.getfixturevalue(who)
    assert GroupPagePermission.objects.filter(group__in=user.groups.all(), permission__codename="change_page").exists()
    submission = submit(contact, message="Mon adresse est secrète")
    client = login(user)

    for name, url in urls(contact, submission).items():
        assert refused(client.get(url)), name
    assert refused(client.post(urls(contact, submission)["delete"]))
    assert refused(client.get(reverse("home_contact_messages")))
    assert FormSubmission.objects.filter(pk=submission.pk).exists()
    assert "Contact" not in client.get(reverse("wagtailforms:index")).content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Messages du site" not in dashboard and reverse("wagtailforms:index") not in dashboard
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[contact.pk])).content.decode()
    assert editor_page.count(urls(contact, submission)["list"]) == 0


def test_the_readers_group_reads_exports_and_deletes_without_any_page_right(reader, contact):
    submission = submit(contact, message="Pouvez-vous me rappeler ?")
    client = login(reader)

    assert "Messages du site" in client.get(reverse("wagtailadmin_home")).content.decode()
    entry = client.get(reverse("home_contact_messages"))
    assert entry.status_code == 302 and entry["Location"] == urls(contact, submission)["list"]
    assert "Pouvez-vous me rappeler ?" in client.get(urls(contact, submission)["list"]).content.decode()
    assert client.get(urls(contact, submission)["csv"]).status_code == 200
    assert client.post(urls(contact, submission)["delete"]).status_code == 302
    assert not FormSubmission.objects.exists()


def test_superusers_still_read_the_messages(admin_user, contact):
    submission = submit(contact)
    assert login(admin_user).get(urls(contact, submission)["list"]).status_code == 200


def test_the_csv_export_neutralises_formulas_and_dde(reader, contact):
    submission = submit(contact, nom=DDE, message="+33 6 00 00 00 00\n@SUM(A1)")
    response = login(reader).get(urls(contact, submission)["csv"])

    assert response["Content-Disposition"].startswith('attachment; filename="messages-contact-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header == ["Reçu le", "Nom", "E-mail", "Message"]
    assert row[1] == "'" + DDE
    assert row[3] == "'+33 6 00 00 00 00\n@SUM(A1)"
    assert row[0] == timezone.localtime(submission.submit_time).strftime("%d/%m/%Y %H:%M")


def test_the_xlsx_export_survives_control_characters_and_keeps_formulas_inert(reader, contact):
    """One message holding \\x01 used to make Wagtail's XLSX export answer 500 for everyone."""
    submission = submit(contact, nom=DDE, message="Ligne\x01 un\x0bdeux")
    response = login(reader).get(urls(contact, submission)["xlsx"])

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Messages"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Reçu le", "Nom", "E-mail", "Message")
    assert rows[1][1:] == (DDE, "camille@example.org", "Ligne un\ndeux")
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_the_retention_command_deletes_old_messages_only(contact, settings):
    settings.CONTACT_RETENTION_DAYS = 365
    now = timezone.now()
    old = submit(contact, when=now - datetime.timedelta(days=400))
    recent = submit(contact, when=now - datetime.timedelta(days=300))
    out = io.StringIO()

    call_command("anonymize_registrations", "--dry-run", stdout=out)
    assert "1 message(s) de contact seraient supprimés" in out.getvalue()
    assert FormSubmission.objects.count() == 2

    call_command("anonymize_registrations", stdout=out)
    assert "1 message(s) de contact supprimé(s) (reçus depuis plus de 365 jours)" in out.getvalue()
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()

    call_command("anonymize_registrations", "--contact-days", "0", stdout=out)
    assert not FormSubmission.objects.exists()


def test_the_permission_is_offered_in_the_group_editor(admin_user):
    permission = Permission.objects.get(content_type__app_label="home", codename="read_contact_messages")
    page = login(admin_user).get(reverse("wagtailusers_groups:add")).content.decode()
    assert f'value="{permission.pk}"' in page
