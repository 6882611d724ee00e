"""The team's roles, in French: Rédaction, Gestion des inscriptions, Administration; and the "Relecture" workflow.

Wagtail installs two English groups ("Editors", "Moderators") and a
"Moderators approval" workflow on the whole tree, under which an editor can
only submit and only a superuser could approve. The association works
otherwise: the communications staff publish themselves, and a review step is
something they may switch on for volunteers' drafts.

- **Rédaction** (Wagtail's "Editors", renamed): edits and publishes pages,
  news and the agenda, images, documents, partners, venues, categories,
  redirects and search promotions. No attendee data (counts only).
- **Gestion des inscriptions** (``registrations`` migration 0003): sees and
  manages registrations, keeps the funded actions and the audience questions
  and reads their reports.
- **Administration** (Wagtail's "Moderators", renamed): users and groups,
  site settings, sites, collections and workflows.
- **Relecture**: Wagtail's workflow renamed, its task approved by Rédaction,
  attached to no page (off): Administration switches it on for a part of the
  site in Paramètres → Processus de validation.

``ensure_team_roles()`` is idempotent. It runs after every ``migrate``
(``CoursiveConfig.ready`` connects it to ``post_migrate``, when every app's
permissions exist) and from ``setup_site``. A group or workflow already
renamed is found under its French name and only given what it lacks; the
first renaming also detaches the stock workflow from the tree.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from registrations.admin.permissions import MANAGERS_GROUP

EDITORS = "Rédaction"
REGISTRATIONS = MANAGERS_GROUP
ADMINISTRATION = "Administration"
REVIEW_WORKFLOW = "Relecture"
REVIEW_TASK = "Relecture par la rédaction"
STOCK_NAMES = {EDITORS: "Editors", ADMINISTRATION: "Moderators"}
STOCK_WORKFLOW = "Moderators approval"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"],
    ADMINISTRATION: ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: {
        "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
        "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
    },
    ADMINISTRATION: {
        "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
        "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
        "wagtailcore": ["add_collection", "change_collection", "delete_collection"],
    },
}
MODEL_PERMISSIONS = {
    EDITORS: {
        "wagtailadmin": ["access_admin"],
        "home": ["add_partner", "change_partner", "delete_partner", "view_partner"],
        "events": [
            "add_venue",
            "change_venue",
            "view_venue",
            "add_eventcategory",
            "change_eventcategory",
            "view_eventcategory",
        ],
        "wagtailredirects": ["add_redirect", "change_redirect", "delete_redirect"],
        "wagtailsearchpromotions": ["add_query", "change_query", "delete_query"],
    },
    # The registrations team also keeps the funded actions and the audience questions (their figures).
    REGISTRATIONS: {
        "funders": ["add_fundedaction", "change_fundedaction", "delete_fundedaction", "view_fundedaction"],
        "registrations": [
            "add_audiencequestion",
            "change_audiencequestion",
            "delete_audiencequestion",
            "view_audiencequestion",
        ],
    },
    ADMINISTRATION: {
        "wagtailadmin": ["access_admin"],
        "auth": ["add_user", "change_user", "delete_user", "view_user", "add_group", "change_group", "view_group"],
        "home": ["change_sitesettings"],
        "wagtailcore": [
            "add_site",
            "change_site",
            "add_workflow",
            "change_workflow",
            "add_task",
            "change_task",
        ],
    },
}


@transaction.atomic
def ensure_team_roles():
    """Create or complete the three groups and the (inactive) review workflow. Returns the groups by name."""
    groups = {name: _group(name) for name in (EDITORS, ADMINISTRATION)}
    groups[REGISTRATIONS] = Group.objects.get_or_create(name=REGISTRATIONS)[0]
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, group in groups.items():
        group.permissions.add(*_permissions(MODEL_PERMISSIONS.get(name, {})))
        if root_page is not None:
            for permission in _permissions({"wagtailcore": PAGE_PERMISSIONS.get(name, [])}):
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
        if root_collection is not None:
            for permission in _permissions(COLLECTION_PERMISSIONS.get(name, {})):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    groups[REGISTRATIONS].permissions.add(*_permissions({"wagtailadmin": ["access_admin"]}))
    _review_workflow(groups[EDITORS])
    return groups


def _group(name):
    """The French group, or Wagtail's stock one renamed (its members keep their group)."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = Group.objects.filter(name=STOCK_NAMES[name]).first()
        if group is not None:
            group.name = name
            group.save(update_fields=["name"])
        else:
            group = Group.objects.create(name=name)
    return group


def _permissions(by_app):
    codenames = [(app, codename) for app, names in by_app.items() for codename in names]
    if not codenames:
        return []
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in codenames},
        codename__in={codename for _app, codename in codenames},
    ).select_related("content_type")
    wanted = set(codenames)
    return [permission for permission in found if (permission.content_type.app_label, permission.codename) in wanted]


def _review_workflow(editors):
    """Wagtail's stock workflow becomes "Relecture", approved by Rédaction and attached to no page."""
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.filter(name=STOCK_WORKFLOW).first()
        if workflow is not None:
            workflow.name = REVIEW_WORKFLOW
            workflow.save(update_fields=["name"])
            WorkflowPage.objects.filter(workflow=workflow).delete()  # off until the team switches it on
        else:
            workflow = Workflow.objects.create(name=REVIEW_WORKFLOW, active=True)
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        stock_task = (
            GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).exclude(name=REVIEW_TASK).first()
        )
        if stock_task is not None:
            stock_task.name = REVIEW_TASK
            stock_task.save(update_fields=["name"])
            task = stock_task
        else:
            task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
    task.groups.set([editors])
    if not WorkflowTask.objects.filter(workflow=workflow, task=Task.objects.get(pk=task.pk)).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def ensure_team_roles_after_migrate(sender, **kwargs):
    """``post_migrate`` receiver: once, after the last app has migrated (permissions all exist then)."""
    if sender.label == "coursive_config":
        ensure_team_roles()
