"""Forms of the staff tooling: add by hand, edit details, write to attendees, report period.

They only collect and validate input; the views hand it to the services.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import clean_line, clean_text
from registrations.models import ACTIVE_STATUSES, Registration
from registrations.questions import QuestionFieldsMixin


class StaffRegistrationForm(QuestionFieldsMixin, forms.Form):
    """A registration taken by phone or at the desk; saved through ``services.register()``."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_(
            "La confirmation est envoyée à cette adresse. Facultatif pour une inscription par téléphone : "
            "sans adresse, la personne ne reçoit aucun e-mail, prévenez-la vous-même."
        ),
    )
    organisation = forms.CharField(label=_("Structure"), max_length=200, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    allow_over_capacity = forms.BooleanField(
        label=_("Confirmer même si l'événement est complet"),
        required=False,
        help_text=_("À cocher seulement si la salle peut accueillir une personne de plus que prévu."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_question_fields(event, required=False)


class RegistrationDetailsForm(QuestionFieldsMixin, forms.ModelForm):
    """Names, contact and answers; the status changes only through the action buttons."""

    class Meta:
        model = Registration
        fields = ["first_name", "last_name", "email", "organisation", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_question_fields(self.instance.event, required=False, initial_answers=self.instance.answers)

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
        self.instance.answers = self.answers(self.instance.answers)
        return super().save(commit=commit)

    @property
    def changed_field_names(self):
        """Names of the fields that changed, answers included (logged without their values)."""
        names = [name for name in self.changed_data if name in self.Meta.fields]
        if any(question.answer_key in self.changed_data for question in self.questions):
            names.append("answers")
        return names


class EmailAttendeesForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=150)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=5000,
        help_text=_("Texte simple. Chaque personne reçoit son propre e-mail : les adresses restent privées."),
    )

    def clean_subject(self):
        """One line: a line break pasted into the subject would make every message unsendable."""
        subject = clean_line(self.cleaned_data["subject"])
        if not subject:
            raise forms.ValidationError(_("Indiquez un objet."))
        return subject

    def clean_message(self):
        return clean_text(self.cleaned_data["message"])


class ReportPeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

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
