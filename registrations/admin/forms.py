"""Forms of the staff tooling: add by hand, edit details, write to attendees, report period.

They only collect and validate input; the views hand it to the services.
Typed text goes through ``core.text`` and addresses through the one e-mail
rule (``core.validators``), as on the public form.
"""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from core.forms import CleanLineField, CleanTextField, DeliverableEmailField, clean_formfield
from events.models import Occurrence
from registrations.forms import CompanionFieldsMixin
from registrations.models import ACTIVE_STATUSES, Registration
from registrations.questions import AudienceFieldsMixin, QuestionFieldsMixin
from registrations.tier_fields import TierFieldsMixin

# Name rows offered to staff for a group: enough for most phone bookings; seats beyond get placeholders.
STAFF_COMPANION_ROWS = 5


class StaffRegistrationForm(
    TierFieldsMixin, CompanionFieldsMixin, QuestionFieldsMixin, AudienceFieldsMixin, forms.Form
):
    """A registration taken by phone or at the desk; saved through ``services.register()``.

    Companions' names are optional here (people booking by phone do not always
    know them): unnamed seats get a placeholder name that can be corrected later.
    So are proofs (« justificatif à téléverser »): staff may add them later on
    the registration's page.
    """

    proof_required = False

    first_name = CleanLineField(label=_("Prénom"), max_length=100)
    last_name = CleanLineField(label=_("Nom"), max_length=100)
    email = DeliverableEmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_(
            "La confirmation est envoyée à cette adresse. Facultatif pour une inscription par téléphone : "
            "sans adresse, la personne ne reçoit aucun e-mail, prévenez-la vous-même."
        ),
    )
    organisation = CleanLineField(label=_("Structure"), max_length=200, required=False)
    phone = CleanLineField(label=_("Téléphone"), max_length=30, required=False)
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    allow_over_capacity = forms.BooleanField(
        label=_("Confirmer même si l'événement est complet"),
        required=False,
        help_text=_("À cocher seulement si la salle peut accueillir une personne de plus que prévu."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_companion_fields(max(event.max_seats_per_registration - 1, STAFF_COMPANION_ROWS))
        self.add_tier_fields(event)
        self.add_question_fields(event, required=False)
        self.add_audience_fields(event)

    def clean(self):
        cleaned = super().clean()
        self.companions = self.clean_companions(cleaned.get("seats") or 1, require_all=False)
        return cleaned


class RegistrationDetailsForm(QuestionFieldsMixin, AudienceFieldsMixin, forms.ModelForm):
    """Names, contact and answers (the audience ones too, asked at the door); status only through the buttons."""

    class Meta:
        model = Registration
        fields = ["first_name", "last_name", "email", "organisation", "phone"]
        formfield_callback = clean_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.companions = list(self.instance.attendees.filter(cancelled_at__isnull=True, position__gt=1))
        for person in self.companions:
            for key, field in (
                ("first_name", CleanLineField(label=_("Prénom"), max_length=100)),
                ("last_name", CleanLineField(label=_("Nom"), max_length=100, required=False)),
                ("email", DeliverableEmailField(label=_("E-mail (facultatif)"), max_length=254, required=False)),
            ):
                field.label = _("%(label)s de la personne %(n)d") % {"label": field.label, "n": person.position}
                field.initial = getattr(person, key)
                self.fields[f"attendee_{person.pk}_{key}"] = field
        self.add_question_fields(self.instance.event, required=False, initial_answers=self.instance.answers)
        if not self.instance.anonymized_at:
            self.add_audience_fields(self.instance.event, initial=self.instance.audience)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email and self.instance.is_active:
            others = Registration.objects.filter(
                event_id=self.instance.event_id, email=email, status__in=ACTIVE_STATUSES
            ).exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("Une autre inscription active utilise déjà cette adresse."))
        return email

    def save(self, commit=True):
        """Save the registrant's details (mirrored on attendee 1) and the companions' names."""
        self.instance.answers = self.answers(self.instance.answers)
        if not self.instance.anonymized_at:
            self.instance.audience = self.audience_answers(self.instance.audience)
        registration = super().save(commit=commit)
        if commit:
            registration.attendees.filter(position=1).update(
                first_name=registration.first_name, last_name=registration.last_name, email=registration.email
            )
            for person in self.companions:
                for key in ("first_name", "last_name", "email"):
                    setattr(person, key, self.cleaned_data[f"attendee_{person.pk}_{key}"])
                person.save(update_fields=["first_name", "last_name", "email"])
        return registration

    @property
    def changed_field_names(self):
        """Names of the fields that changed, answers included (logged without their values)."""
        names = [name for name in self.changed_data if name in self.Meta.fields]
        if any(name.startswith("attendee_") for name in self.changed_data):
            names.append("attendees")
        if any(question.answer_key in self.changed_data for question in self.questions):
            names.append("answers")
        if set(self.changed_data) & self.audience_field_names:
            names.append("audience")
        return names


class EmailAttendeesForm(forms.Form):
    subject = CleanLineField(label=_("Objet"), max_length=150)  # one line: a line break makes the mail fail
    message = CleanTextField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=5000,
        help_text=_("Texte simple. Chaque personne reçoit son propre e-mail : les adresses restent privées."),
    )


# Reports cover the years the association can have held events in; outside them a
# date is a typing slip (or a probe: 9999-12-31 overflowed the period's bounds).
REPORT_FIRST_DAY = datetime.date(2000, 1, 1)
REPORT_LAST_DAY = datetime.date(2100, 12, 31)
REPORT_RANGE_MESSAGE = _("Choisissez une date entre 2000 et 2100.")


def report_date_field(label):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(
            attrs={"type": "date", "min": REPORT_FIRST_DAY.isoformat(), "max": REPORT_LAST_DAY.isoformat()},
            format="%Y-%m-%d",
        ),
        validators=[
            MinValueValidator(REPORT_FIRST_DAY, message=REPORT_RANGE_MESSAGE),
            MaxValueValidator(REPORT_LAST_DAY, message=REPORT_RANGE_MESSAGE),
        ],
    )


class ReportPeriodForm(forms.Form):
    date_from = report_date_field(_("Du"))
    date_to = report_date_field(_("Au"))

    @staticmethod
    def default_period():
        """From 1 January to 31 December of the current year."""
        today = timezone.localdate()
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return cleaned


class OccurrenceChangeForm(forms.ModelForm):
    """What staff may change on one date of a series (``services.OCCURRENCE_FIELDS``); the services decide."""

    formfield_callback = clean_formfield

    class Meta:
        model = Occurrence
        fields = ["start", "end", "venue", "capacity", "note"]
        widgets = {"start": AdminDateTimeInput(), "end": AdminDateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].help_text = _(
            "Vide : le nombre de places de la série. Plus de places : la liste d'attente de cette date est servie "
            "aussitôt."
        )
        self.fields["start"].help_text = _(
            "Déplacer la date écrit aux personnes inscrites, avec le fichier d'agenda mis à jour."
        )

    def changes(self):
        """The fields whose value differs from the stored date, as keyword arguments for the service."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


class OccurrenceCancelForm(forms.Form):
    """The reason given with a cancelled date: kept as its note, shown on the page and in the e-mail."""

    message = CleanLineField(
        label=_("Message aux personnes inscrites"),
        max_length=255,
        required=False,
        help_text=_("Facultatif, par exemple « Intervenante malade, la séance est reportée ». Visible sur la page."),
    )
