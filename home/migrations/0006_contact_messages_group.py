"""Create the "Messages du site" group: the staff who read, export and delete contact-form messages.

Those messages are personal data (names, addresses, what people wrote). Until
now every Editor and Moderator could read them; from here only superusers and
this group can. Nobody is put in the group automatically: an administrator
adds the people who answer the messages (Paramètres → Groupes).

Permissions are normally created after all migrations have run
(``post_migrate``); this migration creates the ones it needs first so that it
works on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Messages du site"


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("home")
    app_config.models_module = getattr(app_config, "models_module", None) or True
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="home", codename="read_contact_messages"),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # Wagtail gives "choose" permissions to every admin group in these two:
        # run after them so that this group gets exactly what is listed above.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("home", "0005_contact_messages_permission"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
