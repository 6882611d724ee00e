"""Hostile input on the public pages: never a server error, never a registration from invalid data."""

import datetime
import itertools

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from registrations import tokens
from registrations.models import Registration
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db

HUGE = "é" * 100_000
WEIRD = "<script>alert(1)</script>\u202e\u200b𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉 ' \" ; -- \\"

QUESTIONS = [
    {"label": "Court", "field_type": "short_text", "required": True},
    {"label": "Long", "field_type": "long_text"},
    {"label": "Un choix", "field_type": "single_choice", "choices": "Oui\nNon", "required": True},
    {"label": "Plusieurs", "field_type": "multiple_choice", "choices": "A\nB\nC"},
    {"label": "Case", "field_type": "checkbox"},
    {"label": "Nombre", "field_type": "number"},
]

MODES = {
    "open": {},
    "review": {"registration_mode": "review"},
    "external": {"registration_mode": "external", "registration_url": "https://example.org/inscription"},
    "none": {"registration_mode": "none"},
    "cancelled": {"status": "cancelled"},
    "past": {"start": timezone.now() - datetime.timedelta(days=3)},
    "full_no_waitlist": {"capacity": 1, "waitlist_enabled": False},
}
# Modes in which a valid submission is refused: nothing may be saved whatever is sent.
REFUSING_MODES = {"external", "none", "cancelled", "past", "full_no_waitlist"}


def valid_data(event):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "consent": "on",
        "website": "",
        "started": tokens.make_form_started(),
        "seats": "1",
    }
    for question in event.registration_questions.all():
        data[question.answer_key] = {
            "short_text": "réponse",
            "long_text": "une réponse plus longue",
            "single_choice": "Oui",
            "multiple_choice": ["A", "C"],
            "checkbox": "on",
            "number": "3",
        }[question.field_type]
    return data


def _holds_nul(data):
    values = [item for value in data.values() for item in (value if isinstance(value, list) else [value])]
    return any("\x00" in str(value) for value in values)


def _key_of(event, field_type):
    return next(q.answer_key for q in event.registration_questions.all() if q.field_type == field_type)


# Each entry: (name, function(event, data) -> data to post). All of them are invalid.
def _set(field, value):
    def mutate(event, data):
        data[field] = value
        return data

    return mutate


def _drop(field):
    def mutate(event, data):
        data.pop(field, None)
        return data

    return mutate


def _answer(field_type, value):
    def mutate(event, data):
        data[_key_of(event, field_type)] = value
        return data

    return mutate


INVALID = [
    ("huge first name", _set("first_name", HUGE)),
    ("huge email", _set("email", "a" * 300 + "@example.org")),
    ("email with nul", _set("email", "camille\x00@example.org")),
    ("first name nul", _set("first_name", "Cam\x00ille")),
    ("blank names", _set("first_name", "   ")),
    ("not an email", _set("email", WEIRD)),
    ("no consent", _drop("consent")),
    ("no started", _drop("started")),
    ("garbage started", _set("started", WEIRD)),
    ("started forged", _set("started", "form:1:abc")),
    ("honeypot", _set("website", "http://spam.example")),
    ("huge phone", _set("phone", "0" * 5000)),
    ("phone letters", _set("phone", "appelez-moi")),
    ("seats -1", _set("seats", "-1")),
    ("seats huge", _set("seats", "999999999999")),
    ("seats 1e9", _set("seats", "1e9")),
    ("seats float", _set("seats", "1.5")),
    ("seats words", _set("seats", "deux")),
    ("seats several", _set("seats", ["1", "999"])),
    ("short answer huge", _answer("short_text", HUGE)),
    ("short answer missing", _answer("short_text", "")),
    ("long answer huge", _answer("long_text", HUGE)),
    ("single choice unknown", _answer("single_choice", WEIRD)),
    ("single choice list", _answer("single_choice", ["Oui", "Non", "Peut-être"])),
    ("multiple unknown", _answer("multiple_choice", ["A", "Z"])),
    ("number negative", _answer("number", "-5")),
    ("number huge", _answer("number", "1" * 400)),
    ("number float", _answer("number", "1e9")),
    ("number nan", _answer("number", "NaN")),
    ("number infinite", _answer("number", "Infinity")),
]

# Odd but harmless extras: the registration may be saved (open modes) but never a server error.
ODD = [
    ("unknown question", _set("q999999", "réponse")),
    ("unknown field", _set("is_staff", "1")),
    ("status injection", _set("status", "confirmed")),
    ("weird organisation", _set("organisation", WEIRD)),
    ("weird first name", _set("first_name", WEIRD)),
    ("checkbox garbage", _answer("checkbox", WEIRD)),
    ("nested key", _set("answers[q1][x]", "y")),
    ("seats blank", _set("seats", "")),
    ("duplicated keys (the last one counts)", _set("first_name", ["Alix", "Bao"])),
]


@pytest.fixture
def events(home_page):
    made = {}
    for name, fields in MODES.items():
        made[name] = make_event(home_page, max_seats_per_registration=3, questions=QUESTIONS, **fields)
    make_registration(made["full_no_waitlist"])
    return made


def _post(client, event, data, commit):
    with commit():
        return client.post(reverse("registrations:register", args=[event.pk]), data)


def test_valid_submission_is_saved_only_where_registration_is_open(client, events, commit):
    before = Registration.objects.count()
    for name, event in events.items():
        response = _post(client, event, valid_data(event), commit)
        assert response.status_code in (200, 302), name
        assert (response.status_code == 302) == (name not in REFUSING_MODES), name
    assert Registration.objects.count() == before + 2  # open and review


@pytest.mark.parametrize("mode", list(MODES))
def test_invalid_input_never_errors_and_saves_nothing(client, events, commit, mode):
    event = events[mode]
    before = Registration.objects.count()
    for name, mutate in INVALID:
        data = mutate(event, valid_data(event))
        response = _post(client, event, data, commit)
        # NUL is refused at the door (config/input_guard.py), the rest by the form.
        expected = 400 if _holds_nul(data) else 200
        assert response.status_code == expected, (mode, name, response.status_code)
        assert Registration.objects.count() == before, (mode, name)


@pytest.mark.parametrize("mode", list(MODES))
def test_odd_input_never_errors(client, events, commit, mode):
    event = events[mode]
    emails = (f"odd{n}@example.org" for n in itertools.count())
    for name, mutate in ODD:
        data = mutate(event, valid_data(event))
        data["email"] = next(emails)
        response = _post(client, event, data, commit)
        assert response.status_code in (200, 302), (mode, name, response.status_code)
        if mode in REFUSING_MODES:
            assert not Registration.objects.filter(event=event, email=data["email"]).exists(), (mode, name)
    for registration in Registration.objects.filter(event=event, email__startswith="odd"):
        assert registration.status in ("confirmed", "pending")
        assert set(registration.answers) == {q.answer_key for q in event.registration_questions.all()}


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"first_name=%FF%FE&email=%C0%AF@x&seats=%00", "application/x-www-form-urlencoded"),
        (b'{"first_name": {"nested": [1, 2]}, "seats": -1}', "application/json"),
        (b"\x00\x01\x02" * 1000, "application/octet-stream"),
        (b"--boundary\r\nnot really multipart", "multipart/form-data; boundary=boundary"),
        (b"a=" + b"&a=" * 500, "application/x-www-form-urlencoded"),
    ],
)
def test_raw_bodies_never_error(client, events, commit, body, content_type):
    for event in events.values():
        with commit():
            response = client.generic(
                "POST", reverse("registrations:register", args=[event.pk]), body, content_type=content_type
            )
        assert response.status_code in (200, 400), response.status_code
    assert Registration.objects.filter(email="").count() == 0


def test_rate_limits_with_hostile_emails_never_error(client, events, commit, settings):
    settings.RATELIMIT_ENABLE = True
    event = events["open"]
    for email in ["\x00", HUGE, WEIRD, ""]:
        data = valid_data(event)
        data["email"] = email
        response = _post(client, event, data, commit)
        assert response.status_code in (200, 429)


GARBAGE_VALUES = [
    "x",
    "a" * 5000,
    "abc:def:ghi",
    "Ünïcødé:🎉:x",
    "%00",
    "..%2F..%2Fetc",
    tokens.make_thanks_value(type("R", (), {"token": "nope"})()),
]


@pytest.mark.parametrize("value", GARBAGE_VALUES)
def test_self_service_urls_with_garbage_never_error(client, event, value):
    for name in ("manage", "manage_ics"):
        assert client.get(reverse(f"registrations:{name}", args=[value])).status_code in (400, 404, 410)
    for name in ("manage_cancel", "manage_erase"):
        assert client.post(reverse(f"registrations:{name}", args=[value])).status_code in (400, 404, 410)
    assert client.get(reverse("registrations:thanks", args=[event.pk, value])).status_code == 404
    assert client.get(f"/inscription/gerer/{value}/annuler/").status_code in (400, 404, 405, 410)


def test_self_service_link_of_another_salt_or_erased_registration_is_refused(client, event, commit):
    registration = make_registration(event)
    thanks_value = tokens.make_thanks_value(registration)
    assert client.get(reverse("registrations:manage", args=[thanks_value])).status_code == 400
    value = tokens.make_manage_value(registration)
    with commit():
        assert client.post(reverse("registrations:manage_erase", args=[value])).status_code == 200
    for name in ("manage", "manage_ics"):
        assert client.get(reverse(f"registrations:{name}", args=[value])).status_code == 400
    assert client.post(reverse("registrations:manage_cancel", args=[value])).status_code == 400
    assert not mail.outbox or all("annul" not in m.subject.lower() for m in mail.outbox)
