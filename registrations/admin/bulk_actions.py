"""Wagtail bulk actions on registrations: approve, reject, cancel, check-in, check-out.

Each shows Wagtail's confirmation page (``GET /admin/bulk/registrations/registration/<action>/?id=…``)
and acts on POST, one service call per registration (``actions``). They serve
the listing's footer, the ticked rows of an event page, and the single-row
"Annuler" / "Refuser" (a bulk action with one id).

``BulkAction`` checks no permission of its own (the admin only requires a
login): managers only, refused in ``dispatch`` before anything is read.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction

from registrations.admin import actions
from registrations.admin.listing import listed_registrations
from registrations.admin.permissions import can_manage_registrations
from registrations.models import Registration


class NotifyForm(forms.Form):
    """Cancel and reject ask whether to tell the person by e-mail (ticked by default)."""

    notify = forms.BooleanField(label=gettext_lazy("Prévenir la personne par e-mail"), required=False, initial=True)


class RegistrationBulkAction(BulkAction):
    """Managers only; the ticked registrations, grouped by event; an empty selection goes back with a warning."""

    models = [Registration]
    template_name = "registrations/admin/bulk_confirm.html"
    action_class = None
    page_title = ""
    question = ""
    confirm_label = ""
    button_class = ""

    def __init__(self, request, model):
        super().__init__(request, model)
        if self.next_url == request.path:  # no valid "next": back to the listing, not to this page
            self.next_url = reverse("inscriptions:index")

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_registrations(request.user):
            raise PermissionDenied
        if not self.get_actionable_objects()[0]:
            messages.warning(request, _("Cochez au moins une inscription."))
            return redirect(self.next_url)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        """By bookable unit (event, then date of a series), then in the order people registered.

        Wagtail runs the whole action in one transaction, so the services' unit
        locks are held to the end: taking them in one fixed order keeps two
        bulk actions from waiting on each other for ever.
        """
        ids = [pk for pk in object_ids if str(pk).isdigit()]
        queryset = model.objects.filter(pk__in=ids).select_related("event", "occurrence")
        return queryset.order_by("event__start", "event_id", "occurrence_id", "created_at", "pk")

    def get_all_objects_in_listing_query(self, parent_id):
        """ "Select all in listing" means what the listing shows with its filters and search."""
        return listed_registrations(self.request.GET).values_list("pk", flat=True)

    @cached_property
    def _actionable_objects(self):
        return super().get_actionable_objects()

    def get_actionable_objects(self):
        """Read once per request: ``dispatch`` needs them first, to send an empty selection back."""
        return self._actionable_objects

    def check_perm(self, obj):
        return can_manage_registrations(self.request.user)

    def execute_action(self, objects, **kwargs):
        """An instance method (Wagtail's is a classmethod): the action needs the request, for ``by=`` and messages."""
        notify = bool(self.cleaned_form.cleaned_data.get("notify"))
        done = self.action_class(self.request, notify=notify).run_on(objects)
        return len(done), 0


class ApproveBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Accepter")
    action_type = "approve"
    aria_label = gettext_lazy("Accepter les demandes sélectionnées")
    action_priority = 10
    action_class = actions.ApproveAction
    page_title = gettext_lazy("Confirmer l'acceptation")
    question = gettext_lazy("Accepter ces demandes (sur la liste d'attente s'il n'y a plus de place) :")
    confirm_label = gettext_lazy("Confirmer l'acceptation")


class RejectBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Refuser")
    action_type = "reject"
    aria_label = gettext_lazy("Refuser les demandes sélectionnées")
    action_priority = 20
    action_class = actions.RejectAction
    form_class = NotifyForm
    page_title = gettext_lazy("Confirmer le refus")
    question = gettext_lazy("Refuser ces demandes :")
    confirm_label = gettext_lazy("Confirmer le refus")


class CheckInBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Marquer présent·es")
    action_type = "check_in"
    aria_label = gettext_lazy("Marquer présentes les personnes sélectionnées")
    action_priority = 30
    action_class = actions.CheckInAction
    page_title = gettext_lazy("Confirmer la présence")
    question = gettext_lazy("Marquer présentes ces personnes :")
    confirm_label = gettext_lazy("Confirmer la présence")


class CancelBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Annuler")
    action_type = "cancel"
    aria_label = gettext_lazy("Annuler les inscriptions sélectionnées")
    action_priority = 40
    classes = {"serious"}
    action_class = actions.CancelAction
    form_class = NotifyForm
    page_title = gettext_lazy("Confirmer l'annulation")
    question = gettext_lazy("Annuler ces inscriptions (les places libérées vont à la liste d'attente) :")
    confirm_label = gettext_lazy("Confirmer l'annulation")
    button_class = "no"


class CheckOutBulkAction(RegistrationBulkAction):
    display_name = gettext_lazy("Retirer la présence")
    action_type = "check_out"
    aria_label = gettext_lazy("Retirer la présence des personnes sélectionnées")
    action_priority = 50
    action_class = actions.CheckOutAction
    page_title = gettext_lazy("Confirmer le retrait de la présence")
    question = gettext_lazy("Retirer la présence de ces personnes :")
    confirm_label = gettext_lazy("Retirer la présence")


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, CheckInBulkAction, CancelBulkAction, CheckOutBulkAction]
