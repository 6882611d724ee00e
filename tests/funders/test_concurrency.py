"""Two erasures of one registration at once (the person's link and the cron command) copy its rows once.

PostgreSQL only: ``services.anonymize`` locks the registration's row before
copying, so the second caller finds it anonymised and copies nothing.
"""

import pytest
from django.db import connection
from django.utils import timezone

from registrations import services
from registrations.models import AttendanceRecord, Registration
from tests.registrations.factories import make_event, make_registration
from tests.registrations.test_concurrency import race

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_anonymisations_copy_each_person_once(home_page):
    event = make_event(home_page, capacity=50)
    people = [make_registration(event, seats=2, checked_in_at=timezone.now()) for _n in range(10)]
    # Each registration is erased by four callers at once, each holding its own stale copy.
    stale = [Registration.objects.get(pk=registration.pk) for registration in people for _copy in range(4)]
    results = race(services.anonymize, stale, workers=8)
    assert [result for result in results if isinstance(result, Exception)] == []
    assert AttendanceRecord.objects.count() == 20  # 10 registrations × 2 people, never more
    assert not Registration.objects.filter(anonymized_at__isnull=True).exists()
