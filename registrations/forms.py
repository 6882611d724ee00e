"""The public registration form: identity, seats, the event's own questions, consent, anti-spam.

The form only validates input; ``services.register`` decides. Every field has
a maximum length so that no input can reach the database unchecked, and every
text goes through ``core.text`` (line breaks, controls, bidi and zero-width
characters out) before it is checked.
"""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import generation_memo
from core.forms import CleanLineField, DeliverableEmailField
from registrations import tokens
from registrations.choices import OnlinePayment
from registrations.online_payment import payment_mode
from registrations.questions import AudienceFieldsMixin, QuestionFieldsMixin
from registrations.tier_fields import TierFieldsMixin

CONSENT_TEXT = _(
    "J'accepte que La Coursive Boutaric conserve ces informations pour gérer mon inscription "
    "et me contacter au sujet de cet événement. Elles sont effacées après l'événement "
    "(voir la politique de confidentialité)."
)

# The start time is single-use: a double click, or the back button after sending, brings this message.
ALREADY_SENT = _(
    "Ce formulaire vient déjà d'être envoyé (un double clic, ou un retour en arrière ?). "
    "Si vous avez reçu notre e-mail, votre inscription est bien enregistrée. "
    "Sinon, vérifiez vos réponses puis envoyez le formulaire à nouveau."
)

PAY_ONLINE, PAY_ON_SITE = "en_ligne", "sur_place"
PAYMENT_CHOICES = [
    (PAY_ONLINE, _("Payer en ligne maintenant (HelloAsso, carte bancaire)")),
    (PAY_ON_SITE, _("Payer sur place (espèces, chèque ou carte, à l'accueil)")),
]

phone_validator = RegexValidator(
    r"^[0-9+().\- ]{6,30}$", _("Saisissez un numéro de téléphone (chiffres, espaces, + et tirets).")
)


def min_fill_seconds():
    return settings.REGISTRATION_MIN_FILL_SECONDS


class CompanionFieldsMixin:
    """Name rows for the other people of a group booking (« Personne 2 », « Personne 3 »…).

    Without JavaScript every row is on the page (one per possible extra seat,
    each optional on its own); ``clean_companions`` then checks that the names
    given match the seats asked. ``require_all``: the public form wants every
    companion named; staff taking a booking by phone may leave names out, the
    services then write a placeholder (``models.companion_placeholder``).
    """

    companion_prefix = "companion"

    def add_companion_fields(self, rows):
        self.companion_numbers = list(range(2, rows + 2))
        for number in self.companion_numbers:
            self.fields[f"{self.companion_prefix}_{number}_first_name"] = CleanLineField(
                label=_("Prénom de la personne %(n)d") % {"n": number}, max_length=100, required=False
            )
            self.fields[f"{self.companion_prefix}_{number}_last_name"] = CleanLineField(
                label=_("Nom de la personne %(n)d") % {"n": number}, max_length=100, required=False
            )
            self.fields[f"{self.companion_prefix}_{number}_email"] = DeliverableEmailField(
                label=_("E-mail de la personne %(n)d (facultatif)") % {"n": number}, max_length=254, required=False
            )

    @property
    def companion_field_names(self):
        return {
            f"{self.companion_prefix}_{n}_{key}" for n in getattr(self, "companion_numbers", []) for key in _ROW_KEYS
        }

    def companion_rows(self):
        """[(number, [first name, last name, e-mail bound fields])] for the template."""
        return [
            (number, [self[f"{self.companion_prefix}_{number}_{key}"] for key in _ROW_KEYS])
            for number in getattr(self, "companion_numbers", [])
        ]

    def clean_companions(self, seats, *, require_all):
        """The companions typed, in order, as dicts for ``services.register``; errors added to the form."""
        companions = []
        for number in getattr(self, "companion_numbers", []):
            names = {key: self.cleaned_data.get(f"{self.companion_prefix}_{number}_{key}", "") for key in _ROW_KEYS}
            if not any(names.values()):
                continue
            for key, message in (
                ("first_name", _("Indiquez le prénom de la personne %(n)d.")),
                ("last_name", _("Indiquez le nom de la personne %(n)d.")),
            ):
                if not names[key]:
                    self.add_error(f"{self.companion_prefix}_{number}_{key}", message % {"n": number})
            companions.append(names)
        wanted = seats - 1
        if len(companions) > wanted or (require_all and len(companions) < wanted):
            self.add_error(None, companions_mismatch(seats, len(companions)))
        return companions


_ROW_KEYS = ("first_name", "last_name", "email")


def companions_mismatch(seats, named):
    """The French error when the seats asked and the names given disagree."""
    if seats == 1:
        return _(
            "Vous réservez une seule place mais avez indiqué d'autres personnes : choisissez le nombre de places "
            "qui correspond, ou effacez leurs noms."
        )
    return ngettext(
        "Vous réservez %(seats)d places : indiquez le prénom et le nom de la personne qui vous accompagne "
        "(vous en avez indiqué %(named)d).",
        "Vous réservez %(seats)d places : indiquez le prénom et le nom des %(others)d personnes qui vous "
        "accompagnent (vous en avez indiqué %(named)d).",
        seats - 1,
    ) % {"seats": seats, "others": seats - 1, "named": named}


class RegistrationForm(TierFieldsMixin, CompanionFieldsMixin, QuestionFieldsMixin, AudienceFieldsMixin, forms.Form):
    first_name = CleanLineField(
        label=_("Prénom"), max_length=100, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = CleanLineField(label=_("Nom"), max_length=100, widget=forms.TextInput({"autocomplete": "family-name"}))
    email = DeliverableEmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Nous y envoyons la confirmation et le lien pour gérer votre inscription."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    organisation = CleanLineField(
        label=_("Structure (association, entreprise, collectivité…)"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    phone = CleanLineField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        validators=[phone_validator],
        help_text=_("Facultatif : pour vous prévenir en cas d'imprévu le jour même."),
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by robots.
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        max_length=200,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)

    def __init__(self, event, *args, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["started"].initial = tokens.make_form_started()
        if event.max_seats_per_registration > 1:
            self.fields["seats"] = forms.TypedChoiceField(
                label=_("Nombre de places"),
                choices=[(n, str(n)) for n in range(1, event.max_seats_per_registration + 1)],
                coerce=int,
                initial=1,
                help_text=_("Vous compris·e. Pour chaque personne en plus, indiquez son nom ci-dessous."),
            )
            self.add_companion_fields(event.max_seats_per_registration - 1)
        self.add_tier_fields(event)
        # Online payment, when the site is configured, the event asks for it and a tier costs something.
        self.payment_mode = payment_mode(event, self.tiers)
        if self.payment_mode == OnlinePayment.CHOICE:
            self.fields["payment"] = forms.ChoiceField(
                label=_("Paiement"),
                choices=PAYMENT_CHOICES,
                widget=forms.RadioSelect,
                initial=PAY_ONLINE,
                help_text=_("En ligne, la place est retenue 30 minutes le temps du paiement."),
                error_messages={"required": _("Choisissez comment vous payez.")},
            )
        self.add_question_fields(event)
        self.add_audience_fields(event)
        self.fields["consent"] = forms.BooleanField(
            label=CONSENT_TEXT,
            required=True,
            error_messages={"required": _("Cochez cette case pour que nous puissions enregistrer votre inscription.")},
        )
        self.fields["website"].widget.attrs["class"] = "visually-hidden-field"

    def event_rows(self, event, kind, read):
        """The event's tiers and questions, read once per generation of the site (``core.generation_memo``).

        They change only when the event is published (or a snippet saved), which starts a new generation;
        this public form is only ever built for a live event, never for a preview's unsaved draft.
        """
        return generation_memo.remember(("registration-form", event.pk, kind), lambda: list(read()))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Votre envoi ressemble à celui d'un robot : il n'a pas été enregistré."))
        age = tokens.form_age_seconds(self.data.get("started", ""))
        if age is None:
            self._restart_clock()
            raise forms.ValidationError(
                _(
                    "Le formulaire a expiré (il était ouvert depuis plus d'un jour) ou a été modifié. "
                    "Vos réponses sont conservées : vérifiez-les puis envoyez le formulaire à nouveau."
                )
            )
        if age < min_fill_seconds():
            raise forms.ValidationError(
                _("Le formulaire a été envoyé trop vite. Merci de vérifier vos réponses puis de l'envoyer à nouveau.")
            )
        self.companions = self.clean_companions(cleaned.get("seats", 1), require_all=True)
        if not self.errors and not tokens.claim_form_started(self.data["started"]):
            self._restart_clock()
            raise forms.ValidationError(ALREADY_SENT)
        return cleaned

    def _restart_clock(self):
        """Re-show the form with a fresh timestamp, so that sending it again can succeed."""
        self.data = self.data.copy()
        self.data["started"] = tokens.make_form_started()

    def full_clean(self):
        """Point each invalid field at its error message for screen readers."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})

    def registration_kwargs(self):
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "organisation": data.get("organisation", ""),
            "phone": data.get("phone", ""),
            "seats": data.get("seats", 1),
            "companions": self.companions,
            "price_tiers": self.price_tiers,
            "proof_files": self.proof_files,
            "answers": self.answers(),
            "audience": self.audience_answers(),
            "consent_text": str(CONSENT_TEXT),
            "pay_online": self.payment_mode == OnlinePayment.REQUIRED
            or (self.payment_mode == OnlinePayment.CHOICE and data.get("payment") == PAY_ONLINE),
        }
