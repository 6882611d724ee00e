"""Issue 17, point 2: the funders' figures separate paying and free participations, before and after erasure."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from funders.figures import action_report
from funders.models import FundedAction
from funders.tables import report_tables
from registrations import payments, services
from registrations.models import AttendanceRecord, PaymentExemption, PriceTier, Registration
from registrations.statistics import attendance_records
from tests.funders.factories import FundedActionFactory, attach, came, past_event

pytestmark = pytest.mark.django_db

TITLE = "Payant ou gratuit"
PAYING, FREE, UNKNOWN = "Payant", "Gratuit (tarif gratuit, sans tarif ou exonéré)", "Non renseigné"


def at_tier(registration, tier):
    registration.attendees.update(price_tier=tier, price_amount=tier.amount)
    return registration


@pytest.fixture
def action(home_page):
    """A paid training (120 € and a free tier) and a free workshop without tiers, both past."""
    training = past_event(home_page, -30, title="Formation payante")
    workshop = past_event(home_page, -10, title="Atelier libre")
    full = PriceTier.objects.create(page=training, label="Plein tarif", amount=Decimal("120.00"))
    free = PriceTier.objects.create(page=training, label="Habitant·es des Grésilles", amount=Decimal("0.00"))
    action = FundedActionFactory(title="Former et accueillir")
    attach(action, training, workshop)
    # Paying: Alix and her companion (two seats at 120 €). Free: Sacha (exempted), Dom (free tier),
    # Noa at the workshop without tiers. Absent, not counted: Eli at 120 €.
    at_tier(came(training, email="alix@example.org", seats=2), full)
    sacha = at_tier(came(training, email="sacha@example.org"), full)
    PaymentExemption.objects.create(registration=sacha, reason="Bénévole de l'association")
    at_tier(came(training, email="dom@example.org"), free)
    at_tier(came(training, email="eli@example.org", checked_in_at=None), full)
    came(workshop, email="noa@example.org")
    came(workshop, email="alix@example.org")  # Alix again, free this time: one person in each line
    return action


def split(report):
    return {line.label: (line.participations, line.people) for line in report.by_paying}


def test_paying_is_a_tier_above_zero_without_exemption(action):
    report = action_report(action)
    assert report.participations == 6
    assert split(report) == {PAYING: (2, 2), FREE: (4, 4)}  # the companion has no address: one person
    assert sum(line.participations for line in report.by_paying) == report.participations
    # The same rule as the accounts' (``Money.is_paying``).
    sacha = Registration.objects.get(email="sacha@example.org")
    assert payments.money_of(sacha).is_paying is False
    assert payments.money_of(Registration.objects.get(email="eli@example.org")).is_paying is True


def test_the_split_is_the_same_once_every_registration_is_anonymised(action):
    before = split(action_report(action))
    for registration in Registration.objects.all():
        services.anonymize(registration)
    assert AttendanceRecord.objects.filter(paying__isnull=True).count() == 0
    assert split(action_report(action)) == before
    assert sorted(AttendanceRecord.objects.values_list("paying", flat=True)) == [False] * 4 + [True] * 3


def test_rows_kept_before_the_split_existed_are_said_unknown(action):
    for registration in Registration.objects.filter(email="noa@example.org"):
        services.anonymize(registration)
    AttendanceRecord.objects.update(paying=None)  # as migration 0017 leaves the rows already written
    assert split(action_report(action)) == {PAYING: (2, 2), FREE: (3, 3), UNKNOWN: (1, 1)}
    event_ids = list(action.action_events.values_list("event_id", flat=True))
    assert {row.paying for row in attendance_records(event_ids)} == {True, False, None}


def test_small_counts_of_the_split_are_suppressed_outside(action):
    table = next(t for t in report_tables(action_report(action), suppressed=True) if t.title == TITLE)
    assert table.header == ["Participation", "Participations", "Personnes différentes", "Part des participations (%)"]
    assert table.rows == [[PAYING, "< 5", "< 5", "< 5"], [FREE, "< 5", "< 5", "< 5"]]
    exact = next(t for t in report_tables(action_report(action), suppressed=False) if t.title == TITLE)
    assert exact.rows == [[PAYING, 2, 2, 33.3], [FREE, 4, 4, 66.7]]


def test_large_counts_leave_as_they_are(home_page):
    event = past_event(home_page, -5)
    tier = PriceTier.objects.create(page=event, label="Tarif réduit", amount=Decimal("60.00"))
    action = FundedActionFactory()
    attach(action, event)
    for n in range(6):
        at_tier(came(event, email=f"p{n}@example.org"), tier)
    table = next(t for t in report_tables(action_report(action), suppressed=True) if t.title == TITLE)
    assert table.rows == [[PAYING, 6, 6, 100.0], [FREE, 0, 0, 0.0]]


def test_the_report_page_and_the_pack_show_the_split(action, manager_client, tmp_path):
    html = manager_client.get(reverse("funders:report", args=[action.pk])).content.decode()
    assert f"<h2>{TITLE}</h2>" in html
    assert f'<th scope="row">{PAYING}</th><td>2</td><td>2</td><td>33,3</td>' in html  # exact for the team
    assert f'<th scope="row">{FREE}</th><td>4</td><td>4</td><td>66,7</td>' in html

    output = tmp_path / "dossier.zip"
    call_command("funders_report", "--action", str(action.pk), "--output", str(output), stdout=io.StringIO())
    archive = zipfile.ZipFile(output)
    folder = next(name for name in archive.namelist() if name.endswith("chiffres.xlsx")).rsplit("/", 1)[0]
    workbook = load_workbook(io.BytesIO(archive.read(f"{folder}/chiffres.xlsx")))
    rows = [[cell.value for cell in row] for row in workbook[TITLE].iter_rows()]
    assert rows == [
        ["Participation", "Participations", "Personnes différentes", "Part des participations (%)"],
        [PAYING, "< 5", "< 5", "< 5"],
        [FREE, "< 5", "< 5", "< 5"],
    ]
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(archive.read(f"{folder}/synthese.pdf"))).pages
    )
    assert TITLE in text and PAYING in text


def test_the_demo_report_shows_paying_and_free_people():
    call_command("load_demo")
    action = FundedAction.objects.get(title__startswith="Inclusion numérique")
    lines = split(action_report(action))
    assert lines[PAYING][0] > 0 and lines[FREE][0] > 0  # the course's solidarity tier against free tiers
    assert UNKNOWN not in lines
