"""Create the local accounts for `make run` (development settings only).

Four accounts, with their credentials printed: the administrator (superuser)
and one account per team role (``config/roles.py``): "Rédaction" (edits and
publishes pages, news, agenda, images, partners; sees no attendee data),
"Gestion des inscriptions" (sees attendees, approves requests, exports lists)
and "Administration" (users and site settings). Refused outside DEBUG, so
never in production settings.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config.roles import ADMINISTRATION, EDITORS, REGISTRATIONS, ensure_team_roles

USERNAME = "admin"
PASSWORD = "coursive-admin"  # noqa: S105 - local development account, refused outside DEBUG

# username, password, e-mail, first name, group, what the account shows
DEMO_STAFF = [
    (
        "gestion",
        "coursive-gestion",  # noqa: S105 - local development account, refused outside DEBUG
        "gestion@example.org",
        "Gestion",
        REGISTRATIONS,
        "gestion des inscriptions",
    ),
    (
        "redaction",
        "coursive-redaction",  # noqa: S105 - local development account, refused outside DEBUG
        "redaction@example.org",
        "Rédaction",
        EDITORS,
        "rédaction et publication des pages, sans accès aux inscrits",
    ),
    (
        "administration",
        "coursive-administration",  # noqa: S105 - local development account, refused outside DEBUG
        "administration@example.org",
        "Administration",
        ADMINISTRATION,
        "comptes et réglages du site",
    ),
]


class Command(BaseCommand):
    help = (
        "Crée les comptes locaux : administrateur, rédaction, gestion des inscriptions, administration "
        "(uniquement en développement)."
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
        groups = ensure_team_roles()
        for username, password, email, first_name, group_name, role in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": email, "first_name": first_name}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(groups[group_name])
            self.stdout.write(f"  {role} : identifiant « {username} », mot de passe « {password} »")


def settings_port():
    return os.environ.get("PORT", "8000")
