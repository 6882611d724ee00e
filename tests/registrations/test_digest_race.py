"""Cron run twice at the same moment (two servers, a retried job): still one digest that day."""

import pytest
from django.core import mail

from outbox.models import OutgoingEmail
from registrations import services
from registrations.choices import StaffNotification
from registrations.models import RegistrationMode, RequestDigest
from registrations.staff_notices import send_request_digest
from tests.registrations.factories import make_event, person
from tests.registrations.test_concurrency import on_postgres, race


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_simultaneous_digest_runs_send_one_digest(home_page):
    for n, contact in enumerate(["equipe@example.org", "partenaire@example.org"]):
        event = make_event(
            home_page,
            slug=f"revue-{n}",
            contact_email=contact,
            registration_mode=RegistrationMode.REVIEW,
            staff_notification=StaffNotification.DIGEST,
        )
        services.register(event, **person(n))
    mail.outbox.clear()

    results = race(lambda _n: send_request_digest(), range(8), workers=8)

    assert sorted(results, key=str) == [2] + [None] * 7, results
    assert RequestDigest.objects.count() == 1
    digests = OutgoingEmail.objects.filter(builder__endswith="build_request_digest")
    assert sorted(row.recipients for row in digests) == ["equipe@example.org", "partenaire@example.org"]
