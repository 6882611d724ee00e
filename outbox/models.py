"""One row per e-mail the site sends: what it is, where it stands, why it failed.

A row is written in the database transaction of what caused the mail (a
registration, a contact message, a password reset), so both commit or neither.
The message itself is kept as its MIME bytes (text, HTML alternative and
attachments such as the .ics), exactly what the mail server receives. A row
queued with a ``builder`` has no MIME yet: the worker builds it (rendering a
registration e-mail is kept out of the event's lock) and stores the result.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmailStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class OutgoingEmail(models.Model):
    # A UUID made in Python: the delivery task can be enqueued with it before the row is written.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.QUEUED
    )
    from_email = models.CharField(_("expéditeur"), max_length=500, blank=True)
    recipients = models.TextField(
        _("destinataires"), help_text=_("Adresses de l'enveloppe, séparées par des virgules.")
    )
    subject = models.TextField(_("objet"), blank=True)
    mime = models.BinaryField(_("message"), null=True, editable=False)
    builder = models.CharField(
        _("fabrique"),
        max_length=200,
        blank=True,
        help_text=_("Fonction qui fabrique le message au moment de l'envoi (vide : message déjà fabriqué)."),
    )
    builder_args = models.JSONField(_("arguments de la fabrique"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    task_id = models.CharField(_("tâche"), max_length=64, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ["-created_at"]
        # No add/change/delete: rows are written by the outbox only. One permission to see and resend them.
        default_permissions = ()
        permissions = [("manage_outgoingemail", _("Voir et renvoyer les e-mails envoyés par le site"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx")]

    def __str__(self):
        return self.subject or str(_("(sans objet)"))

    @property
    def recipient_list(self):
        return [address for address in self.recipients.split(",") if address]
