"""The event's own questions as form fields, and their answers: one builder for the public and the staff forms.

Same limits and the same cleaning (``core.text``: controls, bidi and
zero-width characters out; one line for short answers) everywhere, so that
no answer reaches the database unchecked whoever types it, and one rule for empty answers: an unanswered question
leaves no key in ``Registration.answers`` (``False`` for an unticked box is
an answer, "Non").
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanLineField, CleanTextField
from registrations.choices import QuestionType

SHORT_ANSWER_MAX = 255
LONG_ANSWER_MAX = 2000
NUMBER_MAX = 100_000
NO_ANSWER = _("Sans réponse")


def question_field(question, *, required=None):
    """The form field for one question.

    ``required``: None keeps the question's own setting (the public form);
    staff pass False, since they fill the form in for someone else.
    """
    required = question.required if required is None else required
    common = {"label": question.label, "required": required, "help_text": question.help_text}
    choices = [(choice, choice) for choice in question.choice_list]
    match question.field_type:
        case QuestionType.LONG_TEXT:
            return CleanTextField(max_length=LONG_ANSWER_MAX, widget=forms.Textarea({"rows": 4}), **common)
        case QuestionType.SINGLE_CHOICE:
            if not required:  # a chosen radio button cannot be unticked: offer a way back
                choices = [("", NO_ANSWER), *choices]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        case QuestionType.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        case QuestionType.CHECKBOX:
            return forms.BooleanField(**common)
        case QuestionType.NUMBER:
            return forms.IntegerField(min_value=0, max_value=NUMBER_MAX, **common)
        case _:
            return CleanLineField(max_length=SHORT_ANSWER_MAX, **common)


def is_unanswered(value):
    return value in (None, "", [])


class EventRowsMixin:
    """How the form mixins read an event's own rows (its tiers, its questions): fresh, unless a form says otherwise."""

    def event_rows(self, event, kind, read):
        """The rows ``read()`` gives; ``kind`` names them for a form that keeps them (``RegistrationForm``)."""
        return list(read())


class QuestionFieldsMixin(EventRowsMixin):
    """Adds one field per question of the event to a form; ``answers()`` returns them keyed "q<pk>"."""

    def add_question_fields(self, event, *, required=None, initial_answers=None):
        self.questions = self.event_rows(
            event, "questions", lambda: event.registration_questions.order_by("sort_order", "pk")
        )
        initial_answers = initial_answers or {}
        for question in self.questions:
            field = question_field(question, required=required)
            field.initial = initial_answers.get(question.answer_key)
            self.fields[question.answer_key] = field

    def answers(self, previous=None):
        """The answers given, over ``previous`` ones (an edit); unanswered questions leave no key."""
        answers = dict(previous or {})
        for question in self.questions:
            value = self.cleaned_data.get(question.answer_key)
            if is_unanswered(value):
                answers.pop(question.answer_key, None)
            else:
                answers[question.answer_key] = value
        return answers

    def question_fields(self):
        return [self[question.answer_key] for question in self.questions]


AUDIENCE_EXPLANATION = _(
    "Facultatif : ces réponses servent uniquement aux statistiques anonymes que nous devons à nos "
    "financeurs (combien de personnes viennent des quartiers, de quel âge…). Elles ne sont jamais "
    "liées à votre nom dans nos bilans et sont effacées avec vos données."
)


class AudienceFieldsMixin(EventRowsMixin):
    """Adds the event's audience questions (``AudienceQuestion``), always optional, keyed "audience_<key>"."""

    audience_prefix = "audience_"
    audience_explanation = AUDIENCE_EXPLANATION

    def add_audience_fields(self, event, *, initial=None):
        self.audience_questions = (
            self.event_rows(event, "audience", lambda: event.audience_questions.all()) if event.pk else []
        )
        initial = initial or {}
        for question in self.audience_questions:
            choices = [("", NO_ANSWER), *((choice, choice) for choice in question.choice_list)]
            self.fields[self.audience_prefix + question.key] = forms.ChoiceField(
                label=question.label,
                help_text=question.help_text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=initial.get(question.key, ""),
            )

    @property
    def audience_field_names(self):
        return {self.audience_prefix + question.key for question in getattr(self, "audience_questions", [])}

    def audience_fields(self):
        return [self[self.audience_prefix + question.key] for question in getattr(self, "audience_questions", [])]

    def audience_answers(self, previous=None):
        """{question key: chosen answer}; an unanswered question leaves no key."""
        answers = dict(previous or {})
        for question in getattr(self, "audience_questions", []):
            value = self.cleaned_data.get(self.audience_prefix + question.key)
            if is_unanswered(value):
                answers.pop(question.key, None)
            else:
                answers[question.key] = value
        return answers
