"""Hostile input: never a server error, never a registration from invalid data, nothing hidden stored.

The first part throws invalid and odd submissions at the registration form in every
registration mode; the second (below "Every public form and filter parameter") throws
NUL, controls, bidi and zero-width characters, huge values and wrong types at every
public parameter, form field and address segment, and at the staff's search and report
dates. ``FUZZ_FULL=1`` widens the second part; run with ``-s`` to see the figures.
"""

import datetime
import itertools
import os
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.text import has_invisible
from registrations import tokens
from registrations.models import Registration
from tests.events.factories import EventCategoryFactory
from tests.home.factories import ArticlePageFactory, ContactPageFactory, NewsIndexPageFactory
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


RAW_BODIES = [
    (b"first_name=%FF%FE&email=%C0%AF@x&seats=%00", "application/x-www-form-urlencoded"),
    (b'{"first_name": {"nested": [1, 2]}, "seats": -1}', "application/json"),
    (b"\x00\x01\x02" * 1000, "application/octet-stream"),
    (b"--boundary\r\nnot really multipart", "multipart/form-data; boundary=boundary"),
    (b"a=" + b"&a=" * 500, "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize("body, content_type", RAW_BODIES)
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
        assert response.status_code in (200, 400, 429)  # 400: NUL, refused at the door


GARBAGE_VALUES = [
    "x",
    "a" * 5000,
    "abc:def:ghi",
    "Ünïcødé:🎉:x",
    "%00",
    "..%2F..%2Fetc",
    # Its signature holds the time of collection: a fixed id keeps the test's name the same in every
    # pytest-xdist worker (they must collect the same tests).
    pytest.param(signing.TimestampSigner(salt=tokens.THANKS_SALT).sign("nope"), id="signed-with-the-thanks-salt"),
]


@pytest.mark.parametrize("value", GARBAGE_VALUES)
def test_self_service_urls_with_garbage_never_error(client, event, value):
    for name in ("manage", "manage_ics"):
        assert client.get(reverse(f"registrations:{name}", args=[value])).status_code in (400, 404, 410)
    for name in ("manage_cancel", "manage_erase"):
        assert client.post(reverse(f"registrations:{name}", args=[value])).status_code in (400, 404, 410)
    client.cookies["inscription_envoyee"] = quote(value)  # a garbage thank-you cookie shows the page without it
    assert client.get(reverse("registrations:thanks", args=[event.pk])).status_code == 200
    assert client.get(f"/inscription/gerer/{value}/annuler/").status_code in (400, 404, 405, 410)


def test_self_service_link_of_another_salt_or_erased_registration_is_refused(client, event, commit):
    registration = make_registration(event)
    other_salt = signing.TimestampSigner(salt=tokens.THANKS_SALT).sign(registration.token)
    assert client.get(reverse("registrations:manage", args=[other_salt])).status_code == 400
    value = tokens.make_manage_value(registration)
    with commit():
        assert client.post(reverse("registrations:manage_erase", args=[value]), {"confirmer": "oui"}).status_code == 200
    for name in ("manage", "manage_ics"):
        assert client.get(reverse(f"registrations:{name}", args=[value])).status_code == 400
    assert client.post(reverse("registrations:manage_cancel", args=[value])).status_code == 400
    assert not mail.outbox or all("annul" not in m.subject.lower() for m in mail.outbox)


# ---------------------------------------------------------------------------------------------
# Every public form and filter parameter, and the staff's search and report dates.
#
# Each target (a parameter of a page, a field of a form, a segment of an address) receives every
# value of CORE_VALUES, a seeded sample of EXTRA_VALUES and a few random strings drawn from
# RANDOM_POOLS (the run's seed, TEST_SEED, replays them). FUZZ_FULL=1 tries every value and more
# random strings (what the figures in the report come from). The outcome asserted is the one
# people care about: no server error (5xx) anywhere, and nothing hidden stored from the
# registration form. The figures are printed (run with -s to see them).

FULL = os.environ.get("FUZZ_FULL", "") == "1"
CONTROLS = "".join(map(chr, range(32))) + "\x7f"
CORE_VALUES = [
    "\x00",
    CONTROLS,  # every C0 control and DEL
    "\x85\x9b\x9f",  # C1 controls
    "\u202egpj.exe",  # bidi override
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width
    "＝1+1",  # full-width formula trigger
    'a"b*(c',  # search-engine syntax
    "9" * 5000,  # a number no integer field holds
    "9999-12-31",  # a date past every bound
    ["\x00", "\u202e"],  # a single field sent twice: the wrong type
    "x" * 10_000,  # 10 kB
    "x" * 1_000_000,  # 1 MB
]
EXTRA_VALUES = [
    "Cam\x00ille",
    "\x1b[2J\x1b[31mrouge",
    "\u2066\u2067\u2068\u2069\u200e\u200f",
    "\u200b=1+1",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"',
    "\\",
    "%00",
    "*",
    "NEAR(",
    "../../etc/passwd",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉 e\u0301",
    "\ufffe\uffff",
    "-1",
    "0",
    "1e309",
    "NaN",
    "0000-00-00",
    "2025-13",
    "2025-02-30",
    "",
    " ",
    ["a", "b"],
    "é" * 100_000,  # 200 kB
    "mot " * 25_000,  # 100 kB of words
]
RANDOM_POOLS = [
    CONTROLS + "\x85\x9b",
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c",
    "\u200b\u200c\u200d\u2060\ufeff\u00ad",
    "=+-@＝＋－＠\t\r\n",
    "abcdefghijklmnopqrstuvwxyzéèàçÀÉ0123456789 ",
    "\"'\\%*()[]{}<>;:&|^~`$#!?,.",
    "🎉𝔘\u0301\u3000\u2028\u2029\u00a0",
]
EXTRA_PER_TARGET = len(EXTRA_VALUES) if FULL else 4
RANDOM_PER_TARGET = 20 if FULL else 2
ATTACHMENT = object()  # replaced by a file upload: the wrong type for a text field


def random_value(rng):
    length = rng.choice([1, 3, 10, 100, 2000])
    return "".join(rng.choice(rng.choice(RANDOM_POOLS)) for _ in range(length))


def values_for_target(rng):
    extra = rng.sample(EXTRA_VALUES, EXTRA_PER_TARGET)
    return [*CORE_VALUES, *extra, *(random_value(rng) for _ in range(RANDOM_PER_TARGET))]


class Tally:
    """Inputs tried and server errors seen, per surface."""

    def __init__(self, surface):
        self.surface, self.tried, self.errors = surface, 0, []

    def record(self, response, target, value):
        self.tried += 1
        if response.status_code >= 500:
            self.errors.append((target, repr(value)[:60], response.status_code))

    def check(self):
        print(f"\nfuzz {self.surface}: {self.tried} inputs tried, {len(self.errors)} answered 5xx")
        assert self.tried > 0
        assert self.errors == [], self.errors[:20]


def as_path_segment(value):
    if isinstance(value, list):
        value = "/".join(value)
    return quote(value[:10_000], safe="") or "vide"


@pytest.fixture
def site(home_page):
    """A public site with something behind every parameter: events, labels, articles, a contact form."""
    category = EventCategoryFactory(name="Atelier", slug="atelier")
    event = make_event(home_page, category=category, max_seats_per_registration=3, questions=QUESTIONS)
    make_event(home_page, category=category, start=timezone.now() - datetime.timedelta(days=20))
    news = NewsIndexPageFactory(parent=home_page, title="Actualités", slug="actualites")
    ArticlePageFactory(parent=news, title="Coopérer", tag_names=["Coopérer"])
    contact = ContactPageFactory(parent=home_page)
    registration = make_registration(event, email="deja@example.org")
    return {
        "event": event,
        "agenda": event.get_parent().specific,
        "news": news,
        "contact": contact,
        "registration": registration,
        "manage": tokens.make_manage_value(registration),
    }


def public_get_targets(site):
    """(address, parameter) pairs: every filter and parameter a visitor can send."""
    agenda, news, event = site["agenda"], site["news"], site["event"]
    archives = agenda.url + agenda.reverse_subpage("archives")
    return [
        ("/", "page"),
        (agenda.url, "categorie"),
        (agenda.url, "mois"),
        (agenda.url, "page"),
        (archives, "mois"),
        (event.url, "x"),
        (news.url, "libelle"),
        (news.url, "page"),
        (news.url + "libelle/cooperer/", "page"),
        (news.url + "flux/", "x"),
        ("/recherche/", "q"),
        ("/recherche/", "page"),
        ("/calendrier/agenda.ics", "x"),
        ("/calendrier/categorie/atelier.ics", "x"),
        (f"/calendrier/evenement/{event.pk}.ics", "x"),
        (reverse("registrations:register", args=[event.pk]), "x"),
        (reverse("registrations:manage", args=[site["manage"]]), "fait"),
        ("/sitemap.xml", "p"),
        (site["contact"].url, "x"),
    ]


def public_path_targets(site):
    """Addresses with a part a visitor can change: labels, calendar slugs, self-service links."""
    event, news = site["event"], site["news"]
    return [
        ("GET", news.url + "libelle/{}/"),
        ("GET", site["agenda"].url + "{}/"),
        ("GET", "/calendrier/categorie/{}.ics"),
        ("GET", "/inscription/gerer/{}/"),
        ("GET", "/inscription/gerer/{}/agenda.ics"),
        ("GET", f"/inscription/{event.pk}/merci/{{}}/"),
        ("POST", "/inscription/gerer/{}/annuler/"),
        ("POST", "/inscription/gerer/{}/effacer/"),
        ("GET", "/{}/"),
    ]


def _form_value(value):
    return SimpleUploadedFile("piece.txt", b"\x00\x01 binaire") if value is ATTACHMENT else value


def test_fuzz_public_parameters_never_answer_5xx(client, site, rng):
    client.raise_request_exception = False
    tally = Tally("public GET parameters")
    for url, parameter in public_get_targets(site):
        for value in values_for_target(rng):
            tally.record(client.get(url, {parameter: value}), f"{url}?{parameter}", value)
    tally.check()


def test_fuzz_public_addresses_never_answer_5xx(client, site, rng):
    client.raise_request_exception = False
    tally = Tally("public address segments")
    for method, pattern in public_path_targets(site):
        for value in values_for_target(rng):
            url = pattern.format(as_path_segment(value))
            response = client.get(url) if method == "GET" else client.post(url)
            tally.record(response, f"{method} {pattern}", value)
    tally.check()
    site["registration"].refresh_from_db()
    assert site["registration"].is_active  # no forged link cancelled or erased anything


def test_fuzz_registration_form_never_answers_5xx_nor_stores_hidden_characters(client, site, rng, commit):
    client.raise_request_exception = False
    event = site["event"]
    tally = Tally("registration form fields")
    emails = (f"fuzz{n}@example.org" for n in itertools.count())
    for field in valid_data(event):
        for value in [*values_for_target(rng), ATTACHMENT]:
            data = valid_data(event)
            data["email"] = next(emails)
            data[field] = _form_value(value)
            tally.record(_post(client, event, data, commit), field, value)
    tally.check()
    stored = Registration.objects.filter(event=event).exclude(pk=site["registration"].pk)
    assert stored.exists()  # valid-looking variants did register: the fuzz reached the service
    for registration in stored:
        lines = [registration.first_name, registration.last_name, registration.organisation, registration.phone]
        answers = [str(answer) for answer in registration.answers.values()]  # a long answer keeps its line breaks
        assert not any(has_invisible(text) for text in [*lines, *answers, registration.email]), registration.pk
        assert not any("\n" in text for text in lines), lines


def test_fuzz_contact_form_never_answers_5xx(client, site, rng):
    client.raise_request_exception = False
    contact = site["contact"]
    base = {"nom": "Camille Martin", "e_mail": "camille@example.org", "message": "Bonjour"}
    tally = Tally("contact form fields")
    for field in [*base, "website", "inconnu"]:
        for value in [*values_for_target(rng), ATTACHMENT]:
            tally.record(client.post(contact.url, {**base, field: _form_value(value)}), field, value)
    for body, content_type in RAW_BODIES:
        tally.record(client.generic("POST", contact.url, body, content_type=content_type), content_type, body)
    tally.check()


@pytest.fixture
def manager_client(django_user_model):
    group = Group.objects.create(name="Gestion des inscriptions (fuzz)")
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="wagtailadmin", codename="access_admin")
            | Q(content_type__app_label="registrations", codename__in=["manage_registrations", "view_registration"])
        )
    )
    user = django_user_model.objects.create_user(username="gestion-fuzz", password="pw")
    user.groups.add(group)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_fuzz_staff_search_and_report_dates_never_answer_5xx(manager_client, site, rng):
    event = site["event"]
    check_in = reverse("inscriptions:check_in", args=[event.pk])
    report = reverse("inscriptions_rapports:index")
    assert manager_client.get(check_in).status_code == 200  # the client is a manager: the fuzz reaches the views
    tally = Tally("staff check-in search and report dates")
    for value in values_for_target(rng):
        tally.record(manager_client.get(check_in, {"q": value}), "check-in q", value)
        tally.record(manager_client.get(report, {"date_from": value, "date_to": "2025-12-31"}), "date_from", value)
        tally.record(manager_client.get(report, {"date_from": "2025-01-01", "date_to": value}), "date_to", value)
        period = {"date_from": "2025-01-01", "date_to": "2025-12-31", "format": value}
        tally.record(manager_client.get(report, period), "format", value)
        tally.record(manager_client.get(reverse("inscriptions:index"), {"q": value}), "listing q", value)
    tally.check()
