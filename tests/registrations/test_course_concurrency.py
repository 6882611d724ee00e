"""Presence per session racing on real PostgreSQL connections: taps, doubled taps, QR codes and a cancelled seat.

Staff at two phones tap the same people at the same sessions, scan the
group's code and cancel one seat meanwhile: every presence is one row, each
person's « came » time is their first presence, and the registration's counts
stay equal to its attendees.
"""

import pytest
from django.db.models import Min

from registrations import services, tokens
from registrations.figures import course_figures
from registrations.models import Attendee, Registration, SessionPresence
from tests.events.factories import course_fields
from tests.registrations.factories import make_event, person
from tests.registrations.test_concurrency import on_postgres, race

COMPANIONS = [{"first_name": "Louise", "last_name": "Bernard"}, {"first_name": "Nour", "last_name": "Haddad"}]


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_session_check_ins_race_without_doubles(home_page, rng):
    course = make_event(home_page, max_seats_per_registration=3, **course_fields(days=5, count=3))
    group = services.register(course, **person(1), seats=3, companions=COMPANIONS)
    people = list(group.attendees.order_by("position"))
    sessions = course.course_sessions
    code = tokens.make_check_in_value(group)
    jobs = [("tap", person.pk, session.pk) for person in people[:2] for session in sessions] * 3
    jobs += [("code", None, sessions[1].pk)] * 3 + [("cancel", people[2].pk, None)]
    rng.shuffle(jobs)

    def job(item):
        action, attendee_pk, session_pk = item
        session = next(s for s in sessions if s.pk == session_pk) if session_pk else None
        if action == "tap":
            attendee = Attendee.objects.select_related("registration__event").get(pk=attendee_pk)
            return services.check_in_session(attendee, session)
        if action == "code":
            return services.check_in_session_by_code(session, code)
        return services.cancel_attendee(Attendee.objects.select_related("registration__event").get(pk=attendee_pk))

    results = race(job, jobs, workers=12)

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    rows = list(SessionPresence.objects.values_list("attendee_id", "session_id"))
    assert len(rows) == len(set(rows))  # never twice the same presence
    for attendee in people[:2]:
        assert {s for a, s in rows if a == attendee.pk} == {s.pk for s in sessions}
    for attendee in Attendee.objects.filter(registration=group):
        first = SessionPresence.objects.filter(attendee=attendee).aggregate(first=Min("checked_in_at"))["first"]
        assert attendee.checked_in_at == first, attendee.position
    group = Registration.objects.get(pk=group.pk)
    active = group.attendees.filter(cancelled_at__isnull=True)
    assert group.seats == active.count() == 2
    assert group.seats_present == active.filter(checked_in_at__isnull=False).count() == 2
    figures = course_figures(course)
    assert [figure.present for figure in figures.sessions] == [2, 2, 2]  # the cancelled seat counts nowhere
    assert (figures.people, figures.completed) == (2, 2)
