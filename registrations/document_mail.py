"""Sending a registration's documents (receipts, invoices, certificates) by e-mail, through the outbox."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import log_actions

from registrations import documents
from registrations.emails import queue_email
from registrations.payments import PaymentError


def send_documents(registration, *, by=None):
    """Queue one e-mail with every document of the registration attached (drawn when it leaves); returns their count.

    Refused in French when there is no address or nothing to send, so staff
    are never told a message left when none did.
    """
    if not registration.email or registration.anonymized_at:
        raise PaymentError(_("Cette inscription n'a pas d'adresse e-mail : remettez les documents en main propre."))
    found = documents.registration_documents(registration)
    if not found:
        raise PaymentError(_("Aucun document pour cette inscription (ni paiement, ni facture, ni présence)."))
    with transaction.atomic():
        queue_email(registration, "documents")
        if by is not None and getattr(by, "is_authenticated", False):
            log_actions.log(
                instance=registration, action="registrations.documents_sent", user=by, data={"count": len(found)}
            )
    return len(found)
