"""Create the local admin account for `make run` (development settings only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "coursive-admin"  # noqa: S105 - local development account, refused outside DEBUG


class Command(BaseCommand):
    help = "Crée le compte administrateur local (uniquement en développement)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Ce compte de démonstration n'est créé qu'en développement (DEBUG).")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Administration : http://127.0.0.1:{options.get('port') or settings_port()}/admin/ "
                f"— identifiant « {USERNAME} », mot de passe « {PASSWORD} »"
            )
        )


def settings_port():
    import os

    return os.environ.get("PORT", "8000")
