"""What a paid workshop needs to know: its price tiers, the payments, exemptions, invoices, numbering, legal identity.

Models describe; ``registrations/payments.py`` decides (what is owed, the
refund rule, recording a payment with its receipt number, issuing an
invoice). Kept apart from ``models.py`` (imported at its end) so that the
money has its own room; ``Attendee.price_tier`` is the one link from there.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from registrations.private_storage import private_storage, proof_path, size_text

# Amounts: euros with cents, up to 999 999,99 €.
MONEY = {"max_digits": 8, "decimal_places": 2}

VAT_EXEMPTION_MENTION = "TVA non applicable, art. 293 B du CGI"


class ProofRule(models.TextChoices):
    """What a person choosing a tier must show (the form asks them to confirm they are eligible)."""

    NONE = "none", _("Aucun justificatif")
    ON_SITE = "on_site", _("Justificatif à présenter sur place")
    UPLOAD = "upload", _("Justificatif à téléverser")


class ProofKind(models.TextChoices):
    """The file types a proof may be (checked from the file's first bytes, ``registrations/proofs.py``)."""

    PDF = "pdf", _("PDF")
    JPEG = "jpeg", _("Image JPEG")
    PNG = "png", _("Image PNG")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Espèces")
    CHEQUE = "cheque", _("Chèque")
    TRANSFER = "transfer", _("Virement")
    CARD_ON_SITE = "card", _("Carte sur place")
    ONLINE = "online", _("En ligne")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Paiement")
    REFUND = "refund", _("Remboursement")


class PriceTier(Orderable):
    """One price of an event (« Plein tarif », « Tarif réduit »…), chosen per person on the registration form."""

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="price_tiers")
    label = models.CharField(
        _("tarif"), max_length=120, help_text=_("Le nom du tarif tel que les participants le liront (« Plein tarif »).")
    )
    amount = models.DecimalField(
        _("montant (€)"),
        validators=[MinValueValidator(0)],
        help_text=_("En euros, centimes après la virgule (par exemple 60,00). 0 pour un tarif gratuit."),
        **MONEY,
    )
    eligibility = models.CharField(
        _("conditions"),
        max_length=300,
        blank=True,
        help_text=_(
            "Qui peut choisir ce tarif (« étudiant·es, demandeur·ses d'emploi… »). Rempli : la personne "
            "confirme sur le formulaire qu'elle remplit ces conditions."
        ),
    )
    quota = models.PositiveIntegerField(
        _("places à ce tarif"),
        null=True,
        blank=True,
        help_text=_(
            "Nombre maximal de places à ce tarif, parmi les places de l'événement. Vide : pas de limite propre. "
            "Les demandes en attente (liste d'attente, validation) comptent aussi."
        ),
    )
    proof = models.CharField(
        _("justificatif"),
        max_length=20,
        choices=ProofRule.choices,
        default=ProofRule.NONE,
        help_text=_("Ce que la personne doit montrer pour bénéficier de ce tarif ; rappelé sur le formulaire."),
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("amount")]),
        FieldPanel("eligibility"),
        FieldRowPanel([FieldPanel("quota"), FieldPanel("proof")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("Un tarif ne peut pas être négatif.")})

    @property
    def asks_confirmation(self):
        """The person confirms eligibility when the tier has conditions or a proof to show."""
        return bool(self.eligibility) or self.proof != ProofRule.NONE


class EligibilityProof(models.Model):
    """The proof one person uploaded for a tier « justificatif à téléverser », kept privately until checked.

    The file is on the private storage (``PRIVATE_MEDIA_ROOT``, random name),
    downloaded only by staff with the registrations permission. Deleting the
    row deletes the file once the transaction commits (``receivers.py``):
    a cancelled, refused or anonymised registration loses its proofs
    (``services``), and so does a deleted event.
    """

    wagtail_reference_index_ignore = True

    attendee = models.OneToOneField(
        "registrations.Attendee",
        verbose_name=_("participant·e"),
        on_delete=models.CASCADE,
        related_name="eligibility_proof",
    )
    file = models.FileField(
        _("fichier"),
        storage=private_storage,
        upload_to=proof_path,
        max_length=200,
        help_text=_("PDF, JPEG ou PNG ; conservé à part des médias du site, jamais publié."),
    )
    kind = models.CharField(
        _("type de fichier"), max_length=10, choices=ProofKind.choices, help_text=_("Reconnu au contenu du fichier.")
    )
    size = models.PositiveIntegerField(_("taille (octets)"), help_text=_("La taille du fichier reçu."))
    uploaded_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    verified_at = models.DateTimeField(
        _("vérifié le"), null=True, blank=True, help_text=_("Vide tant que l'équipe n'a pas vérifié le justificatif.")
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")

    def __str__(self):
        return str(_("Justificatif de %(name)s") % {"name": self.attendee.full_name})

    @property
    def content_type(self):
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.kind]

    @property
    def size_text(self):
        return size_text(self.size)

    @property
    def extension(self):
        return {"pdf": "pdf", "jpeg": "jpg", "png": "png"}[self.kind]


class PaymentExemption(models.Model):
    """Staff's decision that a registration owes nothing (« exonéré »), with the reason, for the accounts."""

    wagtail_reference_index_ignore = True

    registration = models.OneToOneField(
        "registrations.Registration",
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="payment_exemption",
    )
    reason = models.CharField(
        _("motif de l'exonération"), max_length=200, help_text=_("Pourquoi cette personne ne paie pas.")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("décidée par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("décidée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("exonération")
        verbose_name_plural = _("exonérations")

    def __str__(self):
        return self.reason


class Payment(models.Model):
    """Money received for a registration, or given back (``kind``); never card data, only the fact of it.

    A payment gets a receipt number (« 2026-0001 », without gaps per year,
    ``payments.record_payment``); a refund gets none.
    """

    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(
        "registrations.Registration", verbose_name=_("inscription"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("type"), max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    amount = models.DecimalField(_("montant (€)"), help_text=_("En euros, toujours positif."), **MONEY)
    method = models.CharField(_("moyen de paiement"), max_length=10, choices=PaymentMethod.choices)
    paid_on = models.DateField(_("date"), help_text=_("Le jour où l'argent a été reçu ou rendu."))
    receipt_number = models.CharField(_("n° de reçu"), max_length=20, blank=True, editable=False)
    note = models.CharField(
        _("précision"), max_length=200, blank=True, help_text=_("N° de chèque, banque, référence du virement…")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["receipt_number"], condition=~Q(receipt_number=""), name="one_payment_per_receipt_number"
            ),
        ]

    def __str__(self):
        return self.receipt_number or f"{self.get_kind_display()} {self.amount} €"

    @property
    def is_refund(self):
        return self.kind == PaymentKind.REFUND


class CheckoutState(models.TextChoices):
    CREATED = "created", _("En cours sur HelloAsso")
    PAID = "paid", _("Payé")
    FAILED = "failed", _("Échoué")
    ABANDONED = "abandoned", _("Abandonné")


class OnlineCheckout(models.Model):
    """One attempt to pay a registration online (a HelloAsso « checkout intent »); never any card data.

    The person pays on the provider's page; we keep only the provider's id of
    the attempt, the amount asked and what became of it. A paid attempt points
    to the ``Payment`` it recorded (``services.confirm_online_checkout``, once).
    """

    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="online_checkouts",
    )
    reference = models.CharField(
        _("référence"),
        max_length=40,
        unique=True,
        editable=False,
        help_text=_("Notre référence de la tentative, envoyée au prestataire avec la commande."),
    )
    provider = models.CharField(_("prestataire"), max_length=20, default="helloasso")
    provider_id = models.CharField(
        _("identifiant chez le prestataire"),
        max_length=64,
        blank=True,
        help_text=_("L'identifiant de la tentative de paiement chez HelloAsso (vide si elle n'a pas pu être créée)."),
    )
    amount = models.DecimalField(_("montant (€)"), help_text=_("Le montant demandé en ligne."), **MONEY)
    state = models.CharField(_("état"), max_length=10, choices=CheckoutState.choices, default=CheckoutState.CREATED)
    failure = models.CharField(
        _("motif de l'échec"), max_length=200, blank=True, help_text=_("Pourquoi la tentative n'a pas abouti.")
    )
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("paiement enregistré"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_checkout",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("payée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("paiement en ligne")
        verbose_name_plural = _("paiements en ligne")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_id"], condition=~Q(provider_id=""), name="one_checkout_per_provider_id"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="online_checkout_amount_positive"),
        ]

    def __str__(self):
        return f"{self.provider} {self.provider_id or self.reference}"


class DocumentCounter(models.Model):
    """The last number given in one series (receipts « R », invoices « F ») for one year.

    Locked with ``select_for_update`` in the transaction that writes the
    document (``payments.next_number``): two payments never share a number,
    and a rolled-back payment gives its number back, so the series has no gaps.
    """

    series = models.CharField(_("série"), max_length=1)
    year = models.PositiveSmallIntegerField(_("année"))
    last = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de numéros")
        verbose_name_plural = _("compteurs de numéros")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_and_year")]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"


class Invoice(models.Model):
    """An invoice to an organisation paying for its staff: who is billed is copied, so the document never changes."""

    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(
        "registrations.Registration", verbose_name=_("inscription"), on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("n° de facture"), max_length=20, unique=True, editable=False)
    issued_on = models.DateField(_("date de facture"))
    customer_name = models.CharField(
        _("structure facturée"), max_length=200, help_text=_("Nom de l'organisation qui paie.")
    )
    customer_address = models.TextField(
        _("adresse de facturation"), max_length=400, help_text=_("Adresse postale, sur plusieurs lignes.")
    )
    customer_siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, help_text=_("14 chiffres, quand l'organisation en a un.")
    )
    total = models.DecimalField(_("total (€)"), **MONEY)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("établie par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["issued_on", "id"]

    def __str__(self):
        return self.number


@register_setting(icon="doc-full")
class BillingSettings(BaseSiteSetting):
    """The association's legal identity printed on receipts, invoices and attendance certificates."""

    legal_name = models.CharField(
        _("nom légal"),
        max_length=200,
        default="La Coursive Boutaric",
        help_text=_("Le nom de l'association tel qu'il figure au Journal officiel."),
    )
    address = models.TextField(
        _("adresse du siège"),
        max_length=300,
        default="33 place Galilée\n21000 Dijon",
        help_text=_("Adresse postale imprimée sur les documents, sur plusieurs lignes."),
    )
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, help_text=_("14 chiffres ; imprimé sur les reçus et les factures.")
    )
    vat_mention = models.CharField(
        _("mention TVA"),
        max_length=200,
        default=VAT_EXEMPTION_MENTION,
        help_text=_("Imprimée sur chaque facture ; une association non assujettie écrit « %(mention)s ».")
        % {"mention": VAT_EXEMPTION_MENTION},
    )
    signatory = models.CharField(
        _("signataire"),
        max_length=200,
        blank=True,
        help_text=_("Nom et qualité de la personne qui signe les attestations (« Camille Martin, présidente »)."),
    )
    city = models.CharField(
        _("ville"), max_length=100, default="Dijon", help_text=_("Pour « Fait à … » au bas des documents.")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("legal_name"), FieldPanel("address"), FieldRowPanel([FieldPanel("siret"), FieldPanel("city")])],
            heading=_("Identité de l'association"),
        ),
        MultiFieldPanel([FieldPanel("vat_mention"), FieldPanel("signatory")], heading=_("Mentions des documents")),
    ]

    class Meta:
        verbose_name = _("facturation et attestations")

    def identity_lines(self):
        """Name, address lines and SIRET, as printed at the top of every document."""
        lines = [self.legal_name, *[line.strip() for line in self.address.splitlines() if line.strip()]]
        if self.siret:
            lines.append(_("SIRET %(siret)s") % {"siret": self.siret})
        return lines
