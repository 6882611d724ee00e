"""Registrations: the per-event settings, the custom questions and the registrations.

Models describe; ``services.py`` decides (capacity, waiting list, approval,
cancellation, anonymisation).
"""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from registrations.choices import (  # noqa: F401 - the choices are part of this module's interface
    ACTIVE_STATUSES,
    EXPIRING_STATUSES,
    OnlinePayment,
    QuestionType,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
    StaffNotification,
)
from registrations.panels import RegistrationFiguresPanel
from registrations.payment_models import (  # noqa: F401 - the money's models are part of this module's interface
    BillingSettings,
    CheckoutState,
    DocumentCounter,
    EligibilityProof,
    Invoice,
    OnlineCheckout,
    Payment,
    PaymentExemption,
    PaymentKind,
    PaymentMethod,
    PriceTier,
    ProofKind,
    ProofRule,
)
from registrations.tier_panels import PriceTierPanel


class RegistrationSettings(models.Model):
    """The "Inscriptions" tab of an event page (abstract: its fields live on the event)."""

    registration_mode = models.CharField(
        _("mode d'inscription"),
        max_length=20,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
        help_text=_("Choisir « Pré-inscription » pour valider chaque demande avant de confirmer la place."),
    )
    registration_url = models.URLField(
        _("lien d'inscription externe"), blank=True, help_text=_("Seulement pour une inscription sur un site externe.")
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Laisser vide pour un nombre de places illimité.")
    )
    max_seats_per_registration = models.PositiveSmallIntegerField(
        _("places par personne"),
        default=1,
        help_text=_("Nombre de places qu'une personne peut réserver (elle-même comprise)."),
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True, help_text=_("Vide : ouvertes dès la publication.")
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True, help_text=_("Vide : jusqu'au début de l'événement.")
    )
    waitlist_enabled = models.BooleanField(
        _("liste d'attente"), default=True, help_text=_("Quand c'est complet, proposer une liste d'attente.")
    )
    staff_notification = models.CharField(
        _("prévenir l'équipe des demandes"),
        max_length=10,
        choices=StaffNotification.choices,
        default=StaffNotification.EACH,
        help_text=_(
            "En pré-inscription : l'adresse de contact de l'événement (ou, sans elle, le groupe « Gestion des "
            "inscriptions ») reçoit un e-mail à chaque demande, ou un récapitulatif chaque matin."
        ),
    )
    waitlist_offers = models.BooleanField(
        _("proposer les places libérées"),
        default=True,
        help_text=_(
            "Quand une place se libère, la proposer par e-mail à la personne suivante, qui l'accepte ou la "
            "laisse. Décoché : la place lui est attribuée d'office. Dans les dernières heures avant "
            "l'événement, la place est toujours attribuée d'office."
        ),
    )
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        _("durée d'une proposition (heures)"),
        default=24,
        help_text=_(
            "Temps laissé pour accepter une place proposée ; raccourci automatiquement à l'approche de "
            "l'événement. Passé ce délai, la place est proposée à la personne suivante."
        ),
    )
    verify_email = models.BooleanField(
        _("faire confirmer l'adresse e-mail"),
        default=False,
        help_text=_(
            "Une inscription faite sur le site ne compte qu'après un clic sur le lien envoyé par e-mail "
            "(30 minutes pour le faire, la place est retenue pendant ce temps). Les inscriptions saisies "
            "par l'équipe n'en ont pas besoin."
        ),
    )
    audience_questions = ParentalManyToManyField(
        "registrations.AudienceQuestion",
        verbose_name=_("questions pour les statistiques des financeurs"),
        blank=True,
        related_name="+",
        help_text=_(
            "Questions définies une fois pour toutes dans « Paramètres › Questions des financeurs » "
            "(quartier, âge…). Facultatives pour les personnes ; leurs réponses ne servent qu'aux "
            "statistiques anonymes des actions financées."
        ),
    )
    refund_days_before = models.PositiveSmallIntegerField(
        _("remboursement possible jusqu'à (jours avant)"),
        null=True,
        blank=True,
        help_text=_(
            "Pour un événement payant : une annulation faite au moins ce nombre de jours avant le début est "
            "remboursée en entier. Vide : pas de remboursement après annulation par la personne (une "
            "annulation de l'événement ou un refus de l'équipe est toujours remboursé)."
        ),
    )
    online_payment = models.CharField(
        _("paiement en ligne (HelloAsso)"),
        max_length=10,
        choices=OnlinePayment.choices,
        default=OnlinePayment.OFF,
        help_text=_(
            "Pour un événement payant, quand le site est relié à HelloAsso : après le formulaire, la personne "
            "paie en ligne sur la page de HelloAsso ; sa place est retenue 30 minutes en attendant le paiement, "
            "puis libérée s'il n'arrive pas. Sans configuration HelloAsso du site, ce réglage n'a pas d'effet."
        ),
    )
    confirmation_message = models.TextField(
        _("message de confirmation"),
        blank=True,
        max_length=2000,
        help_text=_("Affiché après l'inscription et repris dans l'e-mail (informations pratiques, repas…)."),
    )

    registration_panels = [
        RegistrationFiguresPanel(heading=_("Inscriptions en cours")),
        MultiFieldPanel(
            [FieldPanel("registration_mode"), FieldPanel("registration_url"), FieldPanel("staff_notification")],
            heading=_("Mode d'inscription"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_seats_per_registration")]),
                FieldPanel("waitlist_enabled"),
                FieldRowPanel([FieldPanel("waitlist_offers"), FieldPanel("waitlist_offer_hours")]),
                FieldPanel("verify_email"),
            ],
            heading=_("Places"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")])],
            heading=_("Période d'inscription"),
        ),
        PriceTierPanel("price_tiers", heading=_("Tarifs (événement payant)"), label=_("tarif")),
        MultiFieldPanel(
            [FieldPanel("online_payment"), FieldPanel("refund_days_before")], heading=_("Paiement et remboursement")
        ),
        InlinePanel("registration_questions", heading=_("Questions posées aux participants"), label=_("question")),
        FieldPanel("audience_questions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("confirmation_message"),
        InlinePanel(
            "signed_sheets",
            heading=_("Feuilles d'émargement signées (scans)"),
            label=_("feuille signée"),
            help_text=_("Les scans des feuilles signées, joints au dossier des financeurs de l'action."),
        ),
    ]

    class Meta:
        abstract = True

    def registration_errors(self):
        """Settings that would leave visitors unable to register, by field, in French.

        Checked when the event page is saved (``EventPage.clean``), so the editor
        sees the problem next to the field instead of visitors meeting a broken form.
        """
        errors = {}
        if self.registration_mode == RegistrationMode.EXTERNAL and not self.registration_url:
            errors["registration_url"] = _(
                "Indiquez l'adresse du site où l'on s'inscrit, ou choisissez un autre mode d'inscription."
            )
        if self.max_seats_per_registration is not None and self.max_seats_per_registration < 1:
            errors["max_seats_per_registration"] = _("Une personne doit pouvoir réserver au moins 1 place.")
        if self.waitlist_offers and self.waitlist_offer_hours is not None and self.waitlist_offer_hours < 1:
            errors["waitlist_offer_hours"] = _("Une place proposée doit rester proposée au moins 1 heure.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("La clôture des inscriptions doit venir après leur ouverture.")
        return errors

    def publication_notice(self):
        """(how many people, what they are told) when publishing this version e-mails registrants, else None.

        The event editor's form asks for a confirmation then; the publication
        itself (``registrations/receivers.py``) decides with the same
        ``EventChangeSnapshot.notice_kind``.
        """
        if self.pk is None:
            return None
        snapshot = EventChangeSnapshot.objects.filter(event_id=self.pk).first()
        kind = snapshot.notice_kind(self) if snapshot is not None else None
        if kind is None:
            return None
        count = registrations_to_notify(self).exclude(email="").count()
        return (count, NOTICE_DESCRIPTIONS[kind]) if count else None


# What the editor is told each change notice announces.
NOTICE_DESCRIPTIONS = {
    "event_cancelled": _("l'annulation de l'événement"),
    "event_postponed": _("le report de l'événement"),
    "event_moved": _("le changement de date ou de lieu"),
}


def registrations_to_notify(event):
    """Who hears of a change of the event: every active registration whose data is not erased."""
    return Registration.objects.filter(event_id=event.pk, status__in=ACTIVE_STATUSES, anonymized_at__isnull=True)


class RegistrationQuestion(Orderable):
    """A question staff add to one event's registration form."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="registration_questions")
    label = models.CharField(
        _("question"), max_length=255, help_text=_("La question telle que les participants la liront.")
    )
    field_type = models.CharField(
        _("type de réponse"),
        max_length=20,
        choices=QuestionType.choices,
        default=QuestionType.SHORT_TEXT,
        help_text=_("Pour un choix unique ou multiple, indiquer les choix proposés ci-dessous."),
    )
    required = models.BooleanField(
        _("obligatoire"), default=False, help_text=_("Cocher si l'inscription n'est pas possible sans réponse.")
    )
    help_text = models.CharField(
        _("aide"), max_length=255, blank=True, help_text=_("Précision affichée sous la question.")
    )
    choices = models.TextField(
        _("choix proposés"), blank=True, help_text=_("Pour les questions à choix : un choix par ligne.")
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("field_type")]),
        FieldRowPanel([FieldPanel("required"), FieldPanel("help_text")]),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.field_type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE) and not self.choice_list:
            raise ValidationError(
                {
                    "choices": _(
                        "Une question à choix a besoin d'au moins un choix (un par ligne) : "
                        "sinon, personne ne peut y répondre."
                    )
                }
            )

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def answer_key(self):
        """The key of this question's answer in ``Registration.answers``."""
        return f"q{self.pk}"


def new_token():
    return secrets.token_urlsafe(32)


# Plain strings (not the enum members) so that the constraints' migrations hold literals.
ACTIVE_STATUS_VALUES = [status.value for status in ACTIVE_STATUSES]


class Registration(models.Model):
    """One person's (pre-)registration for an event, possibly for several seats."""

    # Registrations are not content: keep them out of Wagtail's reference index
    # (otherwise every save queues an index update and the event page's "usage"
    # lists every attendee).
    wagtail_reference_index_ignore = True

    event = models.ForeignKey(
        "events.EventPage", verbose_name=_("événement"), on_delete=models.PROTECT, related_name="registrations"
    )
    occurrence = models.ForeignKey(
        "events.Occurrence",
        verbose_name=_("date"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text=_("Pour une série : la date réservée. Vide pour un événement à une date ou un parcours."),
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(
        _("e-mail"),
        max_length=254,
        blank=True,
        help_text=_(
            "Vide seulement pour une inscription prise par téléphone : la personne ne reçoit alors aucun e-mail."
        ),
    )
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    audience = models.JSONField(
        _("réponses pour les statistiques"),
        default=dict,
        blank=True,
        help_text=_(
            "Réponses facultatives aux questions des financeurs, par clé de question ; copiées dans les "
            "statistiques anonymes avant l'anonymisation, puis effacées."
        ),
    )
    seats = models.PositiveSmallIntegerField(
        _("places"),
        default=1,
        help_text=_("Nombre de personnes encore inscrites sur cette réservation (tenu à jour par le site)."),
    )
    status = models.CharField(_("statut"), max_length=20, choices=RegistrationStatus.choices, db_index=True)
    source = models.CharField(
        _("origine"), max_length=10, choices=RegistrationSource.choices, default=RegistrationSource.WEB
    )
    checked_in_at = models.DateTimeField(
        _("présence constatée le"),
        null=True,
        blank=True,
        help_text=_("Arrivée de la première personne de la réservation ; vide quand personne n'est pointé."),
    )
    seats_present = models.PositiveSmallIntegerField(
        _("personnes présentes"),
        default=0,
        help_text=_("Nombre de personnes de la réservation pointées présentes (tenu à jour par le site)."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    status_changed_at = models.DateTimeField(_("statut modifié le"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_text = models.TextField(_("texte du consentement"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    promoted_at = models.DateTimeField(
        _("sortie de la liste d'attente le"), null=True, blank=True, help_text=_("Quand une place s'est libérée.")
    )
    expires_at = models.DateTimeField(
        _("réponse attendue avant le"),
        null=True,
        blank=True,
        help_text=_(
            "Pour une place proposée ou une adresse à confirmer : passé ce moment, la place retenue "
            "revient à la liste d'attente ou au public."
        ),
    )
    holds_seats = models.BooleanField(
        _("places retenues"),
        default=False,
        help_text=_(
            "Vrai quand une place proposée ou une adresse à confirmer retient des places jusqu'à son échéance."
        ),
    )
    verified_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    offer_reminder_sent_at = models.DateTimeField(_("rappel de la proposition envoyé le"), null=True, blank=True)
    cancelled_reason = models.CharField(_("motif d'annulation"), max_length=200, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "id"]
        constraints = [
            # One active registration per bookable unit and address: the event, or one date of a series.
            # People signed up by phone without an address are told apart by staff, not by e-mail.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=ACTIVE_STATUS_VALUES) & ~Q(email="") & Q(occurrence__isnull=True),
                name="one_active_registration_per_event_and_email",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "email"],
                condition=Q(status__in=ACTIVE_STATUS_VALUES) & ~Q(email="") & Q(occurrence__isnull=False),
                name="one_active_registration_per_occurrence_and_email",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_seats_at_least_one"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_event_status"),
            models.Index(fields=["occurrence", "status"], name="registration_occurrence_status"),
            models.Index(fields=["status", "expires_at"], name="registration_expiring"),
        ]
        permissions = [("manage_registrations", _("Gérer les inscriptions et voir les données personnelles"))]

    def __str__(self):
        return f"{self.first_name} {self.last_name} — {self.event}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def lapsed(self):
        """Cancelled because an offer or an address check was not answered before its deadline."""
        return (
            self.status == RegistrationStatus.CANCELLED
            and self.expires_at is not None
            and self.status_changed_at is not None
            and self.status_changed_at >= self.expires_at
        )

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def waitlist_position(self):
        """1-based rank on the waiting list (order of registration), or None when not waitlisted."""
        if self.status != RegistrationStatus.WAITLISTED:
            return None
        # The list of the bookable unit: one date of a series has its own.
        ahead = Registration.objects.filter(
            event_id=self.event_id, occurrence_id=self.occurrence_id, status=RegistrationStatus.WAITLISTED
        ).filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, id__lt=self.id))
        return ahead.count() + 1


def companion_placeholder(position, first_name, last_name):
    """(first name, last name) of an unnamed companion: « Accompagnant·e 2 de Camille » + « Martin ».

    Read together they say « Accompagnant·e 2 de Camille Martin »; the last name
    keeps the group together on the sign-in sheet, sorted by last name.
    """
    return _("Accompagnant·e %(position)d de %(first_name)s") % {
        "position": position,
        "first_name": first_name,
    }, last_name


class Attendee(models.Model):
    """One person of a registration: one line on the sign-in sheet, one check-in, one row in exports.

    The attendees are the source of truth for who comes: ``Registration.seats``
    (active attendees) and ``Registration.seats_present`` (checked-in ones) are
    counts of them, written only by ``services`` under the event's lock. The
    registrant is the first attendee (``position`` 1). Cancelling a whole
    registration leaves its attendees as they were (the registration's status
    says it is cancelled); ``cancelled_at`` marks one seat given back from a
    group that still comes.
    """

    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(
        Registration, verbose_name=_("inscription"), on_delete=models.CASCADE, related_name="attendees"
    )
    position = models.PositiveSmallIntegerField(
        _("rang"), default=1, help_text=_("1 pour la personne qui a réservé, puis ses accompagnant·es.")
    )
    first_name = models.CharField(_("prénom"), max_length=100, help_text=_("Prénom de la personne qui vient."))
    last_name = models.CharField(_("nom"), max_length=100, blank=True, help_text=_("Nom de la personne qui vient."))
    email = models.EmailField(
        _("e-mail"), max_length=254, blank=True, help_text=_("Facultatif pour les accompagnant·es.")
    )
    checked_in_at = models.DateTimeField(
        _("présence constatée le"), null=True, blank=True, help_text=_("Vide tant que la personne n'est pas arrivée.")
    )
    cancelled_at = models.DateTimeField(
        _("place annulée le"),
        null=True,
        blank=True,
        help_text=_("Renseigné quand cette seule place a été annulée (le reste du groupe vient toujours)."),
    )
    price_tier = models.ForeignKey(
        "registrations.PriceTier",
        verbose_name=_("tarif"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendees",
        help_text=_("Le tarif choisi pour cette personne ; vide pour un événement gratuit."),
    )
    price_amount = models.DecimalField(
        _("montant du tarif (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Le montant du tarif au moment de l'inscription : changer le tarif ensuite ne change pas ce que "
            "la personne doit."
        ),
    )

    class Meta:
        verbose_name = _("participant·e")
        verbose_name_plural = _("participant·es")
        ordering = ["registration_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "position"], name="one_attendee_per_position"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_registrant(self):
        return self.position == 1

    @classmethod
    def registrant_of(cls, registration):
        """Attendee 1, the person who booked (unsaved): every registration has one."""
        return cls(
            registration=registration,
            position=1,
            first_name=registration.first_name,
            last_name=registration.last_name,
            email=registration.email,
        )


class SessionPresence(models.Model):
    """One attendee present at one session of a course (``events.CourseSession``): the per-session check-in.

    A row exists only for a presence recorded (deleted when staff undo it), so
    the sign-in sheet of a session and the funders' completion figures read
    the same rows.
    """

    wagtail_reference_index_ignore = True

    attendee = models.ForeignKey(
        Attendee, verbose_name=_("participant·e"), on_delete=models.CASCADE, related_name="session_presences"
    )
    session = models.ForeignKey(
        "events.CourseSession", verbose_name=_("séance"), on_delete=models.CASCADE, related_name="presences"
    )
    checked_in_at = models.DateTimeField(_("présence constatée le"))

    class Meta:
        verbose_name = _("présence à une séance")
        verbose_name_plural = _("présences aux séances")
        constraints = [
            models.UniqueConstraint(fields=["attendee", "session"], name="one_presence_per_attendee_and_session"),
        ]

    def __str__(self):
        return f"{self.attendee} — {self.session}"


class EventChangeSnapshot(models.Model):
    """The date, place and status of an event as registrants were last told, to notice changes on publish.

    Stored here rather than read from revisions so that each real change is
    announced once, whatever drafts were saved in between.
    """

    wagtail_reference_index_ignore = True

    event = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, related_name="registration_snapshot", verbose_name=_("événement")
    )
    status = models.CharField(_("statut"), max_length=20)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"), null=True, blank=True)
    venue = models.ForeignKey(
        "events.Venue", verbose_name=_("lieu"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("état annoncé de l'événement")
        verbose_name_plural = _("états annoncés des événements")

    def __str__(self):
        return str(self.event_id)

    def notice_kind(self, event):
        """The e-mail publishing ``event`` as it is now would send registrants, or None.

        Cancelled wins over everything; postponed (no new date yet) comes next;
        a new date or a new place is announced as a move.
        """
        if event.status == "cancelled":
            return "event_cancelled" if self.status != "cancelled" else None
        if event.status == "postponed" and self.status != "postponed":
            return "event_postponed"
        if getattr(event, "is_series", False):
            # A series' start and end follow its first and last dates (``sync_occurrences``): not a move.
            # Its dates are moved one by one (``services.change_occurrence``), which tells their people.
            return "event_moved" if self.venue_id != event.venue_id else None
        if (self.start, self.end, self.venue_id) != (event.start, event.end, event.venue_id):
            return "event_moved"
        return None


class RequestDigest(models.Model):
    """One row per day the digest of requests to review was queued: running the command again that day sends nothing."""

    day = models.DateField(_("jour"), unique=True)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("destinataires"), default=0)

    class Meta:
        verbose_name = _("récapitulatif des demandes")
        verbose_name_plural = _("récapitulatifs des demandes")

    def __str__(self):
        return str(self.day)


class AudienceQuestion(models.Model):
    """A question about who comes (neighbourhood, age…), defined once and chosen by each event.

    The answers are optional for the person and serve only the anonymous
    statistics of funded actions (``AttendanceRecord``); they never appear on
    the sign-in sheet or in the attendee exports.
    """

    key = models.SlugField(
        _("identifiant"),
        max_length=40,
        unique=True,
        help_text=_("Court et sans espace (par exemple « quartier ») ; ne plus le changer une fois utilisé."),
    )
    label = models.CharField(
        _("question"), max_length=255, help_text=_("La question telle que les personnes la liront.")
    )
    help_text = models.CharField(
        _("aide"), max_length=255, blank=True, help_text=_("Précision affichée sous la question.")
    )
    choices = models.TextField(
        _("réponses proposées"),
        help_text=_(
            "Une réponse par ligne. Renommer une réponse sépare les chiffres d'avant et d'après : "
            "ajoutez plutôt une nouvelle ligne."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("ordre"), default=0, help_text=_("Les questions sont posées de la plus petite à la plus grande valeur.")
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
        FieldPanel("help_text"),
        FieldPanel("choices"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("question des financeurs")
        verbose_name_plural = _("questions des financeurs")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if not self.choice_list:
            raise ValidationError({"choices": _("Indiquez au moins une réponse (une par ligne).")})

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SignedSheet(Orderable):
    """A scan of a sign-in sheet signed on the day, uploaded as a Wagtail document; goes into the funders' pack."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="signed_sheets")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scan"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Le scan (PDF ou image) de la feuille d'émargement signée."),
    )
    label = models.CharField(
        _("précision"),
        max_length=200,
        blank=True,
        help_text=_("Facultatif, par exemple « Séance 2 » ou « 14 mars »."),
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("feuille d'émargement signée")
        verbose_name_plural = _("feuilles d'émargement signées")

    def __str__(self):
        return self.label or str(self.document)


class ReportingKey(models.Model):
    """The secret of one reporting year, which turns an address into the same pseudonym all year long.

    It lets the statistics count distinct and returning people without keeping
    who they are; once the year's reports are filed, ``destroy_reporting_key``
    erases it and no new row can be linked to an older one (docs/privacy.md).
    """

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    secret = models.CharField(_("clé"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    destroyed_at = models.DateTimeField(_("détruite le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé de l'année de bilan")
        verbose_name_plural = _("clés des années de bilan")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class AttendanceRecord(models.Model):
    """One person's attendance of one event, anonymous: what funders' figures need, nothing that names them.

    No link to the registration or the attendee, no name, no address: only the
    event (or the date of a series), the reporting year, the registration's
    status, presence, the course sessions attended, the answers to the
    audience questions (the registrant's own) and a pseudonym of the address
    (``person_hash``, HMAC with the year's ``ReportingKey``; empty without an
    address or once the key is destroyed), and whether the participation was
    paying (``paying``; ``payments.is_paying``). Written by
    ``registrations.statistics.keep_statistics`` when a registration is
    anonymised; live registrations are read through the same builder.
    """

    wagtail_reference_index_ignore = True

    event = models.ForeignKey(
        "events.EventPage", verbose_name=_("événement"), on_delete=models.PROTECT, related_name="attendance_records"
    )
    occurrence = models.ForeignKey(
        "events.Occurrence",
        verbose_name=_("date"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("année de bilan"))
    status = models.CharField(_("statut"), max_length=20, choices=RegistrationStatus.choices)
    present = models.BooleanField(_("présent·e"), default=False)
    sessions = models.JSONField(_("séances suivies"), default=list, blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    is_registrant = models.BooleanField(_("personne qui a réservé"), default=True)
    person_hash = models.CharField(_("pseudonyme"), max_length=64, blank=True, db_index=True)
    paying = models.BooleanField(
        _("participation payante"),
        null=True,
        blank=True,
        help_text=_(
            "Oui : un tarif supérieur à 0 € sans exonération ; non : gratuit ou exonéré ; vide : non renseigné "
            "(lignes écrites avant que l'information soit gardée)."
        ),
    )
    created_at = models.DateTimeField(_("copiée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("statistique de participation")
        verbose_name_plural = _("statistiques de participation")
        indexes = [models.Index(fields=["event", "year"], name="attendance_event_year")]

    def __str__(self):
        return f"{self.event_id} / {self.year}"
