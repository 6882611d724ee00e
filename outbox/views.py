"""The "E-mails envoyés" admin listing: read-only, filtered by status, with "Renvoyer" for failed messages.

Messages hold personal data (addresses, names, self-service links): only
superusers and holders of ``outbox.manage_outgoingemail`` see them; the
"Gestion des inscriptions" group gets it by a data migration of
``registrations``.
"""

import email
import email.policy

import django_filters
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from outbox import delivery
from outbox.models import OutgoingEmail, OutgoingEmailStatus

MANAGE_PERMISSION = "outbox.manage_outgoingemail"


def can_see_outbox(user):
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(MANAGE_PERMISSION)))


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """Seeing and resending need ``manage_outgoingemail``; nobody adds, edits or deletes a message by hand."""

    actions = {"view", "resend"}

    def user_has_permission(self, user, action):
        return action in self.actions and can_see_outbox(user)

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            return self.auth_model.objects.none()
        permission = Permission.objects.get(content_type__app_label="outbox", codename="manage_outgoingemail")
        return self.auth_model.objects.filter(
            Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission),
            is_active=True,
        ).distinct()


class OutgoingEmailFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Statut"), choices=OutgoingEmailStatus.choices)
    created_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Créé entre"), widget=DateRangePickerWidget)

    class Meta:
        model = OutgoingEmail
        fields = ["status", "created_at"]


class ErrorColumn(Column):
    def get_value(self, instance):
        return instance.last_error if instance.status != OutgoingEmailStatus.SENT else ""


class OutgoingEmailIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().defer("mime", "builder_args")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if OutgoingEmail.objects.filter(status=OutgoingEmailStatus.FAILED).exists():
            buttons.append(
                HeaderButton(
                    _("Renvoyer tous les échecs"), url=reverse("emails_envoyes:resend_failed"), icon_name="resubmit"
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == OutgoingEmailStatus.FAILED:
            buttons.insert(
                0, Button(_("Renvoyer"), url=reverse("emails_envoyes:resend", args=[instance.pk]), icon_name="resubmit")
            )
        return buttons


def text_part(mime):
    """The plain-text part of a stored message, for staff to read what was sent."""
    if not mime:
        return ""
    parsed = email.message_from_bytes(bytes(mime), policy=email.policy.default)
    part = parsed.get_body(preferencelist=("plain",))
    return part.get_content().replace("\r\n", "\n") if part is not None else ""


class OutgoingEmailInspectView(InspectView):
    def get_field_label(self, field_name, field):
        if field_name == "text":
            return _("Texte du message")
        return super().get_field_label(field_name, field)

    def get_text_display_value(self):
        return text_part(self.object.mime) or _("(fabriqué au moment de l'envoi)")

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.status == OutgoingEmailStatus.FAILED:
            buttons.append(
                Button(_("Renvoyer"), url=reverse("emails_envoyes:resend", args=[self.object.pk]), icon_name="resubmit")
            )
        return buttons


class ResendView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks to confirm, POST queues the failed message(s) again with a fresh series of attempts."""

    template_name = "outbox/confirm_resend.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_outbox(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def messages_to_resend(self):
        failed = OutgoingEmail.objects.filter(status=OutgoingEmailStatus.FAILED).defer("mime")
        if "pk" in self.kwargs:
            return [get_object_or_404(failed, pk=self.kwargs["pk"])]
        return list(failed.order_by("created_at"))

    def get_page_title(self):
        return _("Renvoyer des e-mails")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("emails_envoyes:index"), "label": _("E-mails envoyés")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["emails"] = self.messages_to_resend
        context["index_url"] = reverse("emails_envoyes:index")
        return context

    def post(self, request, *args, **kwargs):
        count = sum(delivery.resend(row.pk) for row in self.messages_to_resend)
        messages.success(
            request,
            ngettext("%(count)d e-mail remis en file d'envoi.", "%(count)d e-mails remis en file d'envoi.", count)
            % {"count": count},
        )
        return redirect("emails_envoyes:index")


class OutgoingEmailViewSet(ModelViewSet):
    """The "E-mails envoyés" menu: every message the site sent or tries to send."""

    model = OutgoingEmail
    name = "emails_envoyes"
    url_prefix = "emails-envoyes"
    icon = "mail"
    menu_label = gettext_lazy("E-mails envoyés")
    add_to_admin_menu = True
    menu_order = 260  # just after "Inscriptions"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OutgoingEmailIndexView
    inspect_view_class = OutgoingEmailInspectView
    form_fields = []  # the add and edit views exist but the permission policy refuses them to everyone
    filterset_class = OutgoingEmailFilterSet
    search_fields = ["recipients", "subject"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        "recipients",
        "subject",
        StatusTagColumn(
            "get_status_display",
            label=gettext_lazy("Statut"),
            sort_key="status",
            primary=lambda row: row.status == OutgoingEmailStatus.SENT,
        ),
        Column("attempts", label=gettext_lazy("Tentatives"), sort_key="attempts"),
        ErrorColumn("last_error", label=gettext_lazy("Dernière erreur")),
        DateColumn("created_at", label=gettext_lazy("Créé"), sort_key="created_at"),
        DateColumn("sent_at", label=gettext_lazy("Envoyé"), sort_key="sent_at"),
    ]
    inspect_view_fields = [
        "status",
        "recipients",
        "from_email",
        "subject",
        "created_at",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "text",
    ]

    @cached_property
    def permission_policy(self):
        return OutboxPermissionPolicy(OutgoingEmail)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("renvoyer/<uuid:pk>/", ResendView.as_view(), name="resend"),
            path("renvoyer-les-echecs/", ResendView.as_view(), name="resend_failed"),
        ]
