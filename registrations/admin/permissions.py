"""Who sees personal data and acts on registrations: the "Gestion des inscriptions" group and superusers.

Imports only Django and Wagtail: ``registrations.panels``, imported by the
models, needs ``can_manage_registrations`` while the apps are still loading.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

MANAGE_PERMISSION = "registrations.manage_registrations"
# The staff who see attendees and review requests; ``config/roles.py`` takes the name from here.
MANAGERS_GROUP = "Gestion des inscriptions"


def can_manage_registrations(user):
    """Members of the registrations group and superusers see personal data and act on registrations."""
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(MANAGE_PERMISSION)))


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """Every action needs ``manage_registrations``; nobody deletes (cancel, or anonymise, instead)."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return can_manage_registrations(user)

    def users_with_any_permission(self, actions):
        if set(actions) <= {"delete"}:
            return self.auth_model.objects.none()
        permission = Permission.objects.get(content_type__app_label="registrations", codename="manage_registrations")
        return self.auth_model.objects.filter(
            Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission),
            is_active=True,
        ).distinct()


class ManagerRequiredMixin:
    """403 for anyone without the registrations permission (the admin already requires a login)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
