"""What each staff action on a registration does: one service call, and the French messages staff read.

Shared by the single-row buttons (``event.RegistrationActionView``) and the
bulk actions (``bulk_actions``), so both say the same thing. The services write
the audit log (``by=request.user``); a ``RegistrationError`` becomes one error
message naming the person, and the other registrations go on.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import log_actions
from wagtail.admin import messages

from registrations import payments, services
from registrations.models import RegistrationStatus


class RegistrationAction:
    """Runs ``perform`` on each registration, then one success message listing the names done."""

    success_message = None

    def __init__(self, request, *, notify=False):
        self.request = request
        self.notify = notify

    def perform(self, registration):
        raise NotImplementedError

    def is_done(self, registration):
        """False when the service succeeded but the outcome deserves its own message (see approve)."""
        return True

    def run_on(self, registrations):
        done = []
        for registration in registrations:
            try:
                self.perform(registration)
            except services.RegistrationError as error:
                messages.error(self.request, f"{registration.full_name} : {error.message}")
                continue
            if self.is_done(registration):
                done.append(registration.full_name)
        if done:
            messages.success(self.request, self.success_message % {"names": ", ".join(done)})
        return done


class ApproveAction(RegistrationAction):
    success_message = gettext_lazy("Demandes acceptées : %(names)s.")

    def perform(self, registration):
        services.approve(registration, by=self.request.user)

    def is_done(self, registration):
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(
                self.request,
                _("%(name)s : plus de place libre, la demande passe sur la liste d'attente.")
                % {"name": registration.full_name},
            )
            return False
        return True


class RejectAction(RegistrationAction):
    success_message = gettext_lazy("Demandes refusées : %(names)s.")

    def perform(self, registration):
        services.reject(registration, by=self.request.user, notify=self.notify)


class CancelAction(RegistrationAction):
    success_message = gettext_lazy("Inscriptions annulées : %(names)s.")

    def perform(self, registration):
        services.cancel(registration, by=self.request.user, notify=self.notify)
        refund = payments.money_of(registration).refund_owed  # the event's refund rule says what to give back
        if refund:
            messages.warning(
                self.request,
                _("%(name)s : %(amount)s à rembourser ; enregistrez le remboursement dans « Paiements ».")
                % {"name": registration.full_name, "amount": payments.euros(refund)},
            )


class ConfirmOfferAction(RegistrationAction):
    """Staff confirm an offered seat for the person (who answered by phone, say)."""

    success_message = gettext_lazy("Places confirmées : %(names)s.")

    def perform(self, registration):
        services.accept_offer(registration, by=self.request.user)


class CheckInAction(RegistrationAction):
    success_message = gettext_lazy("Présence enregistrée : %(names)s.")

    def perform(self, registration):
        services.check_in(registration, by=self.request.user, present=True)


class CheckOutAction(RegistrationAction):
    success_message = gettext_lazy("Présence retirée : %(names)s.")

    def perform(self, registration):
        services.check_in(registration, by=self.request.user, present=False)


class ResendAction(RegistrationAction):
    success_message = gettext_lazy("E-mail renvoyé à : %(names)s.")

    def perform(self, registration):
        services.resend_confirmation(registration)
        log_actions.log(instance=registration, action="registrations.resend", user=self.request.user)
