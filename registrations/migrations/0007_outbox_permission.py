"""Give the "Gestion des inscriptions" group the outbox's permission: they see and resend the site's e-mails.

The outbox app sits below registrations and does not know the group; the
group belongs here. As in 0003, the permission is created first so that this
works on a fresh database (permissions are otherwise made after migrations).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Gestion des inscriptions"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("outbox")
    app_config.models_module = getattr(app_config, "models_module", None) or True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(Permission.objects.get(content_type__app_label="outbox", codename="manage_outgoingemail"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="outbox", codename="manage_outgoingemail").first()
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if permission and group:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0006_email_optional_for_phone_signups"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
