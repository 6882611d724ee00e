"""The choices of the registrations app: modes, statuses, question types, sources.

Apart from the models so that the figures and the admin panel, which the
models module itself imports, can use them without a circle.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationMode(models.TextChoices):
    NONE = "none", _("Pas d'inscription")
    OPEN = "open", _("Inscription ouverte (confirmation automatique)")
    REVIEW = "review", _("Pré-inscription validée par l'équipe")
    EXTERNAL = "external", _("Inscription sur un site externe")


class StaffNotification(models.TextChoices):
    """How the team hears of pre-registration requests to review."""

    EACH = "each", _("Un e-mail à chaque demande")
    DIGEST = "digest", _("Un récapitulatif par jour")


class QuestionType(models.TextChoices):
    SHORT_TEXT = "short_text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    SINGLE_CHOICE = "single_choice", _("Choix unique")
    MULTIPLE_CHOICE = "multiple_choice", _("Choix multiples")
    CHECKBOX = "checkbox", _("Case à cocher")
    NUMBER = "number", _("Nombre")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    CONFIRMED = "confirmed", _("Confirmée")
    WAITLISTED = "waitlisted", _("Sur liste d'attente")
    OFFERED = "offered", _("Place proposée, réponse attendue")
    UNVERIFIED = "unverified", _("Adresse e-mail à confirmer")
    AWAITING_PAYMENT = "awaiting_payment", _("Paiement en ligne en attente")
    CANCELLED = "cancelled", _("Annulée")
    REJECTED = "rejected", _("Refusée")


ACTIVE_STATUSES = [
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.UNVERIFIED,
    RegistrationStatus.AWAITING_PAYMENT,
]
# Statuses that last only until ``Registration.expires_at``: an offer from the waiting list
# waiting for its answer, an address waiting for its click, a seat waiting for its online payment.
EXPIRING_STATUSES = [RegistrationStatus.OFFERED, RegistrationStatus.UNVERIFIED, RegistrationStatus.AWAITING_PAYMENT]


class OnlinePayment(models.TextChoices):
    """Whether an event with paying tiers takes payment online (HelloAsso), when the site is configured for it."""

    OFF = "off", _("Non : paiement sur place ou par virement")
    CHOICE = "choice", _("En ligne (HelloAsso) ou sur place, au choix de la personne")
    REQUIRED = "required", _("En ligne (HelloAsso) uniquement")


class RegistrationSource(models.TextChoices):
    WEB = "web", _("Site web")
    STAFF = "staff", _("Saisie par l'équipe")
