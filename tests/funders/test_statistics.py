"""The proofs of issue 16: figures survive anonymisation, a destroyed key links nobody any more."""

import pytest
from django.core.management import call_command

from funders.figures import action_report
from registrations import services
from registrations.models import AttendanceRecord, Registration, ReportingKey
from registrations.statistics import attendance_records, person_hash
from tests.funders.factories import FundedActionFactory, Indicator, add_target, attach, came, neighbourhood, past_event

pytestmark = pytest.mark.django_db

GRESILLES = "Aux Grésilles"
OTHER_QPV = "Dans un autre quartier prioritaire de Dijon"
ELSEWHERE = "Ailleurs"


@pytest.fixture
def action(home_page):
    first, second = past_event(home_page, -40), past_event(home_page, -20)
    action = FundedActionFactory()
    attach(action, first, second)
    # Alix comes twice (returning), with a companion the second time; Sacha once; Noa registered, absent.
    came(first, email="alix@example.org", audience={"quartier": GRESILLES, "age": "26 à 64 ans"})
    came(second, email="alix@example.org", audience={"quartier": GRESILLES}, seats=2)
    came(first, email="sacha@example.org", audience={"quartier": ELSEWHERE})
    came(second, email="dom@example.org", audience={"quartier": OTHER_QPV})
    came(second, email="noa@example.org", checked_in_at=None, audience={"quartier": GRESILLES})
    add_target(action, Indicator.PARTICIPANTS, 300)
    add_target(
        action, Indicator.ANSWER_SHARE, 40, question=neighbourhood(), answers=f"{GRESILLES}\n{OTHER_QPV}", label="QPV"
    )
    return action


def figures(action):
    report = action_report(action)
    answers = {b.question.key: (b.counts, b.unanswered) for b in report.by_answer}
    return {
        "registered": report.registered,
        "participations": report.participations,
        "people": report.people,
        "returning": report.returning,
        "answers": answers,
        "targets": [(p.value, p.part, p.whole) for p in report.targets],
        "months": report.by_month,
    }


def test_the_figures_count_people_answers_and_returns(action):
    result = figures(action)
    assert result["registered"] == 6  # 5 registrations, one of two seats
    assert result["participations"] == 5
    assert result["people"] == 4  # Alix twice is one person; the companion has no address: one person
    assert result["returning"] == 1
    counts, unanswered = result["answers"]["quartier"]
    assert dict(counts)[GRESILLES] == 2 and dict(counts)[OTHER_QPV] == 1 and dict(counts)[ELSEWHERE] == 1
    assert unanswered == 1  # the companion is not asked
    # 3 of the 4 respondents live in a QPV.
    assert result["targets"][1] == (75, 3, 4)


def test_anonymising_every_registration_leaves_the_same_figures(action):
    before = figures(action)
    for registration in Registration.objects.all():
        services.anonymize(registration)
    assert not Registration.objects.exclude(audience={}).exists()  # the answers are gone from the registrations
    assert figures(action) == before
    services.anonymize(Registration.objects.first())  # again: nothing is copied twice
    assert AttendanceRecord.objects.count() == 6


def test_the_anonymous_rows_hold_no_name_no_address_and_no_link(action):
    for registration in Registration.objects.all():
        services.anonymize(registration)
    fields = {field.name for field in AttendanceRecord._meta.get_fields()}
    assert not fields & {"registration", "attendee", "email", "first_name", "last_name", "phone"}
    stored = " ".join(str(row) for row in AttendanceRecord.objects.values_list())
    assert "alix" not in stored.lower() and "@" not in stored


def test_the_anonymisation_command_keeps_the_figures_too(action, settings):
    before = figures(action)
    settings.REGISTRATION_RETENTION_DAYS = 1
    call_command("anonymize_registrations", verbosity=0)
    assert Registration.objects.filter(anonymized_at__isnull=False).count() == 5
    assert figures(action) == before


def test_a_destroyed_key_can_no_longer_link_people(action, home_page):
    alix = Registration.objects.filter(email="alix@example.org").first()
    year = alix.event.start.year
    for registration in Registration.objects.all():
        services.anonymize(registration)
    kept = set(AttendanceRecord.objects.exclude(person_hash="").values_list("person_hash", flat=True))
    secret = ReportingKey.objects.get(year=year).secret
    assert person_hash("alix@example.org", secret) in kept  # until now the pseudonym can be recomputed

    call_command("destroy_reporting_key", str(year), verbosity=0)

    key = ReportingKey.objects.get(year=year)
    assert key.secret == "" and key.destroyed_at is not None
    # Alix comes again the same year: the new attendance cannot be tied to the former ones.
    third = past_event(home_page, -5)
    attach(action, third)
    came(third, email="alix@example.org")
    rows = [row for row in attendance_records([third.pk]) if row.present]
    assert [row.person_hash for row in rows] == [""]
    report = action_report(action)
    assert report.returning == 1  # the earlier return is still counted from the kept rows
    assert report.people == 5  # the new attendance counts as a person of its own
    assert ReportingKey.objects.filter(year=year).count() == 1  # no new key was made for that year


def test_pseudonyms_differ_between_years_and_from_the_plain_hash():
    assert person_hash("a@example.org", "k1") != person_hash("a@example.org", "k2")
    assert person_hash(" A@Example.org ", "k1") == person_hash("a@example.org", "k1")
    assert person_hash("", "k1") == "" and person_hash("a@example.org", "") == ""
