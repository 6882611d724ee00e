"""Per-person cancellations and check-ins racing with new registrations, on real PostgreSQL connections.

Each seat of a group is cancelled twice at the same time, while the groups are
checked in and newcomers register: the seats counted on each registration stay
equal to its active attendees, the event is never overbooked, and every freed
seat goes once to the waiting list, in order.
"""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from registrations import services
from registrations.models import Attendee, Registration, RegistrationStatus
from tests.registrations.factories import make_event, person
from tests.registrations.test_concurrency import on_postgres, race

S = RegistrationStatus
COMPANIONS = [{"first_name": "Louise", "last_name": "Bernard"}, {"first_name": "Nour", "last_name": "Haddad"}]


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_per_person_cancellations_race_with_check_ins_and_registrations(home_page, rng):
    event = make_event(home_page, capacity=12, max_seats_per_registration=3)
    groups = [services.register(event, **person(n), seats=3, companions=COMPANIONS) for n in range(4)]
    waiting = [services.register(event, **person(100 + n)) for n in range(8)]
    assert all(registration.status == S.WAITLISTED for registration in waiting)
    mail.outbox.clear()
    # One companion of each group, plus the second one of two groups: six seats freed.
    chosen = [group.attendees.get(position=2) for group in groups] + [
        group.attendees.get(position=3) for group in rng.sample(groups, 2)
    ]
    jobs = [("cancel", attendee.pk) for attendee in chosen] * 2
    jobs += [("check_in", group.pk) for group in groups] + [("register", 200 + n) for n in range(10)]
    rng.shuffle(jobs)
    stop, peaks = threading.Event(), []

    def watch():
        try:
            while not stop.is_set():
                peaks.append(services.seats_taken(event))
        finally:
            connection.close()

    def job(item):
        action, value = item
        if action == "cancel":
            return services.cancel_attendee(Attendee.objects.select_related("registration__event").get(pk=value))
        if action == "check_in":
            return services.check_in(Registration.objects.get(pk=value))
        return services.register(event, **person(value))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        results = race(job, jobs, workers=20)
    finally:
        stop.set()
        watcher.join()

    errors = [result for result in results if isinstance(result, Exception)]
    assert all(isinstance(error, services.InvalidTransition) for error in errors), errors
    assert len(errors) == len(chosen)  # exactly one of each pair of cancellations lost
    assert max(peaks) <= event.capacity
    assert services.seats_taken(event) == event.capacity  # the six freed seats were all given back
    for registration in Registration.objects.filter(event=event):
        active = registration.attendees.filter(cancelled_at__isnull=True)
        assert registration.seats == active.count(), registration.pk
        assert registration.seats_present == active.filter(checked_in_at__isnull=False).count(), registration.pk
    promoted = Registration.objects.filter(event=event, promoted_at__isnull=False)
    assert sorted(promoted.values_list("pk", flat=True)) == [r.pk for r in waiting[:6]]  # first come, first served
    seat_mails = Counter(m.to[0] for m in mail.outbox if m.subject.startswith("Une place annulée"))
    assert sum(seat_mails.values()) == len(chosen)
