"""The event's questions: one builder, so the public and the staff forms apply the same limits and empty rule."""

import pytest

from registrations.admin.forms import StaffRegistrationForm
from registrations.forms import RegistrationForm
from registrations.questions import LONG_ANSWER_MAX, SHORT_ANSWER_MAX
from registrations.tokens import make_form_started
from tests.registrations.factories import make_event

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"label": "Votre structure en un mot", "field_type": "short_text"},
    {"label": "Vos attentes", "field_type": "long_text"},
    {"label": "Atelier préféré", "field_type": "single_choice", "choices": "Matin\nAprès-midi"},
    {"label": "Nombre d'accompagnants", "field_type": "number"},
]


def public_form(event, **answers):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "consent": "on",
        "started": make_form_started(),
        **answers,
    }
    return RegistrationForm(event, data)


def staff_form(event, **answers):
    return StaffRegistrationForm({"first_name": "Camille", "last_name": "Martin", "seats": 1, **answers}, event=event)


@pytest.fixture
def event(home_page):
    return make_event(home_page, questions=QUESTIONS)


def keys(event):
    return [question.answer_key for question in event.registration_questions.order_by("sort_order", "pk")]


@pytest.mark.parametrize("build", [public_form, staff_form], ids=["public", "staff"])
def test_both_forms_refuse_answers_beyond_the_same_limits(event, build):
    short, long, _choice, number = keys(event)
    too_long = build(event, **{short: "x" * (SHORT_ANSWER_MAX + 1), long: "y" * (LONG_ANSWER_MAX + 1), number: "-1"})
    assert not too_long.is_valid()
    assert {short, long, number} <= set(too_long.errors)
    at_limit = build(event, **{short: "x" * SHORT_ANSWER_MAX, long: "y" * LONG_ANSWER_MAX, number: "2"})
    assert at_limit.is_valid(), at_limit.errors
    assert at_limit.answers()[number] == 2


@pytest.mark.parametrize("build", [public_form, staff_form], ids=["public", "staff"])
def test_unanswered_questions_leave_no_key_in_either_form(event, build):
    short, long, choice, number = keys(event)
    form = build(event, **{short: "Musée", long: "", choice: "", number: ""})
    assert form.is_valid(), form.errors
    assert form.answers() == {short: "Musée"}


def test_an_optional_single_choice_can_be_left_without_answer(event):
    choice = keys(event)[2]
    field = public_form(event).fields[choice]
    assert field.choices[0] == ("", "Sans réponse")
    assert [value for value, _label in field.choices[1:]] == ["Matin", "Après-midi"]


def test_a_required_question_is_required_of_the_public_only(home_page):
    event = make_event(home_page, questions=[{"label": "Régime alimentaire", "required": True}])
    (key,) = keys(event)
    assert not public_form(event).is_valid()
    assert key in public_form(event).errors
    assert staff_form(event).is_valid()  # staff take a sign-up by phone: they may not know the answer
