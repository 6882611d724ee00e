"""Create the local accounts for `make run` (development settings only).

Three accounts, with their credentials printed: the administrator, a member of
the "Gestion des inscriptions" group (sees attendees, approves requests,
exports lists) and an editor in Wagtail's "Editors" group (edits pages, events
included, but sees no attendee data). Refused outside DEBUG, so never in
production settings.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import GroupPagePermission, Page

USERNAME = "admin"
PASSWORD = "coursive-admin"  # noqa: S105 - local development account, refused outside DEBUG

REGISTRATIONS_GROUP = "Gestion des inscriptions"  # created by registrations/migrations/0003
EDITORS_GROUP = "Editors"  # Wagtail's default editors: add and edit pages, publish through moderation

# username, password, e-mail, first name, group, what the account shows
DEMO_STAFF = [
    (
        "gestion",
        "coursive-gestion",  # noqa: S105 - local development account, refused outside DEBUG
        "gestion@example.org",
        "Gestion",
        REGISTRATIONS_GROUP,
        "gestion des inscriptions",
    ),
    (
        "redaction",
        "coursive-redaction",  # noqa: S105 - local development account, refused outside DEBUG
        "redaction@example.org",
        "Rédaction",
        EDITORS_GROUP,
        "rédaction des pages, sans accès aux inscrits",
    ),
]


class Command(BaseCommand):
    help = (
        "Crée les comptes locaux : administrateur, gestion des inscriptions, rédaction (uniquement en développement)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Ces comptes de démonstration ne sont créés qu'en développement (DEBUG).")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        admin_url = f"http://127.0.0.1:{options.get('port') or settings_port()}/admin/"
        self.stdout.write(
            self.style.SUCCESS(
                f"Administration : {admin_url} — identifiant « {USERNAME} », mot de passe « {PASSWORD} »"
            )
        )
        groups = {REGISTRATIONS_GROUP: registrations_group(), EDITORS_GROUP: editors_group()}
        for username, password, email, first_name, group_name, role in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": email, "first_name": first_name}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(groups[group_name])
            self.stdout.write(f"  {role} : identifiant « {username} », mot de passe « {password} »")


def registrations_group():
    """The group the registrations migration creates (with its permissions)."""
    try:
        return Group.objects.get(name=REGISTRATIONS_GROUP)
    except Group.DoesNotExist:
        raise CommandError(
            f"Le groupe « {REGISTRATIONS_GROUP} » est introuvable : lancez d'abord « manage.py migrate »."
        ) from None


def editors_group():
    """Wagtail's "Editors" group, given back admin access and page editing if it lost them."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    return group


def settings_port():
    import os

    return os.environ.get("PORT", "8000")
