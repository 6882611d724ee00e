"""The "Inscriptions" menu of the admin: the registrations' ModelViewSet (with every staff URL) and the reports."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from registrations.admin import actions, dates, downloads, event, payments, proofs
from registrations.admin.listing import (
    SEARCH_FIELDS,
    ChooseEventView,
    RegistrationEditView,
    RegistrationFilterSet,
    RegistrationIndexView,
)
from registrations.admin.permissions import RegistrationPermissionPolicy
from registrations.admin.reports import ReportViewSet
from registrations.models import Registration


def registration_action(action_class):
    return event.RegistrationActionView.as_view(action_class=action_class)


class RegistrationViewSet(ModelViewSet):
    """ "Inscriptions" → "Toutes les inscriptions": listing, filters, search, edit, history, per-event pages."""

    model = Registration
    name = "inscriptions"
    url_prefix = "inscriptions"
    icon = "group"
    menu_label = gettext_lazy("Toutes les inscriptions")
    menu_order = 100
    index_view_class = RegistrationIndexView
    index_template_name = "registrations/admin/index.html"
    add_view_class = ChooseEventView
    edit_view_class = RegistrationEditView
    copy_view_enabled = False
    add_to_reference_index = False  # registrations are not content (see Registration.wagtail_reference_index_ignore)
    filterset_class = RegistrationFilterSet
    search_fields = SEARCH_FIELDS
    search_backend_name = None
    list_per_page = 50
    ordering = ["-created_at", "-pk"]

    @cached_property
    def permission_policy(self):
        return RegistrationPermissionPolicy(Registration)

    def get_add_view_kwargs(self, **kwargs):
        return {}

    def get_edit_view_kwargs(self, **kwargs):
        return {}

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("evenement/<int:event_id>/", event.EventRegistrationsView.as_view(), name="event"),
            path("evenement/<int:event_id>/pointage/", event.CheckInView.as_view(), name="check_in"),
            path("evenement/<int:event_id>/dates/", dates.DatesView.as_view(), name="dates"),
            path(
                "evenement/<int:event_id>/dates/<int:occurrence_id>/annuler/",
                dates.CancelOccurrenceView.as_view(),
                name="occurrence_cancel",
            ),
            path(
                "evenement/<int:event_id>/dates/<int:occurrence_id>/modifier/",
                dates.ChangeOccurrenceView.as_view(),
                name="occurrence_change",
            ),
            path("evenement/<int:event_id>/pointage/code/", event.CheckInCodeView.as_view(), name="check_in_code"),
            path("personne/<int:pk>/presence/", event.AttendeeCheckInView.as_view(), name="attendee_check_in"),
            path(
                "personne/<int:pk>/retirer-presence/",
                event.AttendeeCheckInView.as_view(present=False),
                name="attendee_check_out",
            ),
            path(
                "personne/<int:pk>/seance/<int:session_id>/presence/",
                event.AttendeeSessionCheckInView.as_view(),
                name="attendee_session_check_in",
            ),
            path(
                "personne/<int:pk>/seance/<int:session_id>/retirer-presence/",
                event.AttendeeSessionCheckInView.as_view(present=False),
                name="attendee_session_check_out",
            ),
            path("personne/<int:pk>/annuler/", event.CancelAttendeeView.as_view(), name="attendee_cancel"),
            path("evenement/<int:event_id>/ajouter/", event.StaffRegistrationView.as_view(), name="event_add"),
            path("evenement/<int:event_id>/ecrire/", event.EmailAttendeesView.as_view(), name="email_attendees"),
            path(
                "evenement/<int:event_id>/liste-attente/",
                event.PromoteWaitlistView.as_view(),
                name="promote_waitlist",
            ),
            path("evenement/<int:event_id>/export.<str:fmt>", downloads.ExportView.as_view(), name="export"),
            path("evenement/<int:event_id>/emargement.pdf", downloads.SigninSheetPdfView.as_view(), name="signin_pdf"),
            path("evenement/<int:event_id>/emargement/", downloads.SigninSheetHtmlView.as_view(), name="signin_html"),
            path("inscription/<int:pk>/accepter/", registration_action(actions.ApproveAction), name="approve"),
            path(
                "inscription/<int:pk>/confirmer-place/",
                registration_action(actions.ConfirmOfferAction),
                name="confirm_offer",
            ),
            path("inscription/<int:pk>/presence/", registration_action(actions.CheckInAction), name="check_in_one"),
            path(
                "inscription/<int:pk>/retirer-presence/",
                registration_action(actions.CheckOutAction),
                name="check_out_one",
            ),
            path("inscription/<int:pk>/renvoyer-email/", registration_action(actions.ResendAction), name="resend"),
            path("personne/<int:pk>/justificatif/", proofs.ProofActionView.as_view(), name="proof_action"),
            path("inscription/<int:pk>/paiements/", payments.RegistrationPaymentsView.as_view(), name="payments"),
            path(
                "inscription/<int:pk>/document/<str:kind>/<int:document_pk>.pdf",
                payments.DocumentDownloadView.as_view(),
                name="document",
            ),
        ]


class RegistrationViewSetGroup(ViewSetGroup):
    """The "Inscriptions" menu of the admin."""

    menu_label = gettext_lazy("Inscriptions")
    menu_icon = "group"
    menu_order = 250
    items = (RegistrationViewSet, ReportViewSet)
