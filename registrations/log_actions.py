"""Audit-log actions recorded by the services when a staff member acts (Wagtail's history)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = {
    "registrations.register": (_("Inscription ajoutée"), _("Inscription ajoutée par l'équipe")),
    "registrations.cancel": (_("Inscription annulée"), _("Inscription annulée")),
    # The data says which person (their rank in the booking), never their name: erasure stays complete.
    "registrations.cancel_attendee": (_("Place d'une personne annulée"), _("Une place du groupe annulée")),
    "registrations.approve": (_("Inscription acceptée"), _("Demande d'inscription acceptée")),
    "registrations.reject": (_("Inscription refusée"), _("Demande d'inscription refusée")),
    "registrations.promote": (_("Sortie de liste d'attente"), _("Place attribuée depuis la liste d'attente")),
    "registrations.offer": (_("Place proposée"), _("Place proposée depuis la liste d'attente")),
    "registrations.accept_offer": (_("Place proposée acceptée"), _("Place proposée acceptée")),
    "registrations.decline_offer": (_("Place proposée laissée"), _("Place proposée laissée à la personne suivante")),
    "registrations.expire": (_("Délai dépassé"), _("Place proposée ou adresse non confirmée à temps")),
    "registrations.check_in": (_("Présence pointée"), _("Présence mise à jour")),
    "registrations.capacity": (_("Nombre de places modifié"), _("Nombre de places modifié")),
    # On the series: which date (``data``), how many people were written to, never who.
    "registrations.cancel_occurrence": (_("Date annulée"), _("Une date de la série annulée")),
    "registrations.change_occurrence": (_("Date modifiée"), _("Une date de la série modifiée")),
    "registrations.payment": (_("Paiement enregistré"), _("Paiement enregistré")),
    "registrations.refund": (_("Remboursement enregistré"), _("Remboursement enregistré")),
    "registrations.exempt": (_("Exonération"), _("Inscription exonérée de paiement")),
    "registrations.exempt_removed": (_("Exonération retirée"), _("Exonération de paiement retirée")),
    "registrations.invoice": (_("Facture établie"), _("Facture établie")),
    # Which person by rank (``data``), never a name.
    "registrations.proof_added": (_("Justificatif ajouté"), _("Justificatif de tarif ajouté par l'équipe")),
    "registrations.proof_verified": (_("Justificatif vérifié"), _("Justificatif de tarif vérifié")),
    "registrations.documents_sent": (_("Documents envoyés"), _("Reçus, facture ou attestations envoyés par e-mail")),
}


@hooks.register("register_log_actions")
def register_registration_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
