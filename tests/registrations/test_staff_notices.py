"""Staff hear of each request to review (or once a day), and the dashboard lists what waits."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outbox import delivery
from outbox.models import OutgoingEmail
from registrations import services
from registrations.admin.permissions import MANAGERS_GROUP
from registrations.choices import StaffNotification
from registrations.models import RegistrationMode, RequestDigest
from registrations.staff_notices import send_request_digest
from tests.registrations.factories import add_question, make_event, person

pytestmark = pytest.mark.django_db

REVIEW_PATH = "/admin/inscriptions/evenement/{pk}/#pending-title"


def staff_messages():
    return [message for message in mail.outbox if message.subject.startswith(("Demande d'inscription à", "1 demande"))]


def managers(django_user_model, *specs):
    group = Group.objects.get(name=MANAGERS_GROUP)
    users = []
    for username, email, active in specs:
        user = django_user_model.objects.create_user(username=username, email=email, is_active=active)
        user.groups.add(group)
        users.append(user)
    return users


def test_a_new_request_emails_the_event_contact_with_the_review_link(home_page, commit):
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW, max_seats_per_registration=3)
    question = add_question(event, "Régime alimentaire")
    with commit():
        services.register(
            event, **person(1, organisation="MJC Grésilles"), seats=2, answers={question.answer_key: "Végétarien"}
        )
    (notice,) = [m for m in mail.outbox if m.to == ["ateliers@example.org"]]
    assert notice.subject == f"Demande d'inscription à valider : {event.title}"
    assert notice.reply_to == ["camille1@example.org"]
    assert "Camille Martin1 (MJC Grésilles)" in notice.body
    assert "Places demandées : 2" in notice.body
    assert "- Régime alimentaire : Végétarien" in notice.body
    url = "http://testserver" + REVIEW_PATH.format(pk=event.pk)
    assert url in notice.body
    assert f'href="{url}"' in notice.alternatives[0][0]
    # The person hears too, separately.
    assert any(m.to == ["camille1@example.org"] for m in mail.outbox)


def test_without_a_contact_the_active_managers_are_told(home_page, commit, django_user_model):
    managers(
        django_user_model,
        ("anne", "anne@coursive.example", True),
        ("bruno", "bruno@coursive.example", True),
        ("parti", "parti@coursive.example", False),
        ("sansmail", "", True),
    )
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW, contact_email="")
    with commit():
        services.register(event, **person(1))
    (notice,) = staff_messages()
    assert sorted(notice.to) == ["anne@coursive.example", "bruno@coursive.example"]


def test_no_staff_email_in_open_mode_nor_for_staff_entries(home_page, commit):
    event = make_event(home_page)
    with commit():
        services.register(event, **person(1))
    assert staff_messages() == []
    review = make_event(home_page, registration_mode=RegistrationMode.REVIEW, slug="revue")
    with commit():
        services.register(review, **person(2), source="staff")  # decided at once: nothing to review
    assert staff_messages() == []


def test_a_request_decided_before_the_mail_leaves_is_not_announced(home_page, django_capture_on_commit_callbacks):
    """The worker builds the message when it sends it: a request already accepted is no longer news."""
    event = make_event(home_page, registration_mode=RegistrationMode.REVIEW)
    registration = services.register(event, **person(1))  # callbacks not run: still queued
    services.approve(registration)
    row = OutgoingEmail.objects.get(recipients="ateliers@example.org")
    delivery.deliver(row.pk)
    assert staff_messages() == []


NASTY = "<script>alert('x')</script>"


def test_what_people_typed_is_escaped_in_the_team_emails(home_page, commit):
    with commit():
        for n, notification in enumerate([StaffNotification.EACH, StaffNotification.DIGEST]):
            event = make_event(
                home_page,
                slug=f"gras-{n}",
                title="Atelier <b>gras</b>",
                registration_mode=RegistrationMode.REVIEW,
                staff_notification=notification,
            )
            question = add_question(event, "Votre question")
            services.register(event, **person(n, first_name=NASTY), answers={question.answer_key: "<img src=x>"})
        send_request_digest()
    team = [m for m in mail.outbox if m.to == ["ateliers@example.org"]]
    assert len(team) == 2  # the notice of the first request, the digest of the second
    for message in team:
        html = message.alternatives[0][0]
        assert NASTY not in html and "&lt;script&gt;" in html
        assert "<img src=x>" not in html and "<b>gras</b>" not in html
        assert NASTY in message.body  # plain text keeps what was typed


# ---------------------------------------------------------------------------
# The daily digest


def digest_event(home_page, slug, **fields):
    return make_event(
        home_page,
        slug=slug,
        registration_mode=RegistrationMode.REVIEW,
        staff_notification=StaffNotification.DIGEST,
        **fields,
    )


def test_digest_events_send_no_mail_per_request_and_one_digest_a_day(home_page, commit):
    morning = digest_event(home_page, "atelier-matin", title="Atelier du matin")
    evening = digest_event(home_page, "atelier-soir", title="Atelier du soir")
    other = digest_event(home_page, "autre-contact", title="Atelier partenaire", contact_email="partenaire@example.org")
    with commit():
        first = services.register(morning, **person(1))
        services.register(evening, **person(2), seats=1)
        services.register(other, **person(3))
        decided = services.register(morning, **person(4))
        services.approve(decided)
        services.register(make_event(home_page, slug="ouvert"), **person(5))  # open mode: not a request
    assert staff_messages() == []
    mail.outbox.clear()

    output = io.StringIO()
    with commit():
        call_command("send_request_digest", stdout=output)
    assert "envoyé à 2 adresse(s)" in output.getvalue()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ateliers@example.org", "partenaire@example.org"}
    team = by_address["ateliers@example.org"]
    assert team.subject == "2 demandes d'inscription à valider"
    assert "Atelier du matin" in team.body and "Atelier du soir" in team.body
    assert first.full_name in team.body and "Martin2" in team.body
    assert "Martin4" not in team.body  # already accepted
    assert "Atelier partenaire" not in team.body
    assert "http://testserver" + REVIEW_PATH.format(pk=morning.pk) in team.body
    assert "Martin3" in by_address["partenaire@example.org"].body

    mail.outbox.clear()
    output = io.StringIO()
    with commit():
        call_command("send_request_digest", stdout=output)
        services.register(morning, **person(6))
        assert send_request_digest() is None  # same day: nothing more, even with a new request
    assert staff_messages() == [] and [m for m in mail.outbox if "demandes" in m.subject] == []
    assert RequestDigest.objects.count() == 1
    assert "déjà été envoyé" in output.getvalue()

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with commit():
        assert send_request_digest(today=tomorrow) == 2
    assert "Martin6" in {m.to[0]: m for m in mail.outbox}["ateliers@example.org"].body


def test_no_digest_when_nothing_waits(home_page, commit):
    event = digest_event(home_page, "calme")
    with commit():
        services.reject(services.register(event, **person(1)))
    mail.outbox.clear()
    with commit():
        assert send_request_digest() == 0
    assert mail.outbox == []
    assert not RequestDigest.objects.exists()  # a later run today may still report new requests


# ---------------------------------------------------------------------------
# The dashboard panel


def test_dashboard_lists_events_with_requests_for_managers_only(home_page, client, django_user_model):
    waiting = make_event(home_page, registration_mode=RegistrationMode.REVIEW, title="Atelier vélo", slug="velo")
    services.register(waiting, **person(1))
    services.register(waiting, **person(2))
    calm = make_event(home_page, registration_mode=RegistrationMode.REVIEW, title="Atelier calme", slug="calme")
    services.approve(services.register(calm, **person(3)))

    (manager,) = managers(django_user_model, ("gestion", "g@example.org", True))
    client.force_login(manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Demandes à valider" in page
    panel = page[page.index('id="demandes-a-valider"') :]
    panel = panel[: panel.index("</section>")]
    assert "Atelier vélo" in panel and "2 demandes" in panel
    assert reverse("inscriptions:event", args=[waiting.pk]) + "#pending-title" in panel
    assert "Atelier calme" not in panel

    editor = django_user_model.objects.create_user(username="redaction", email="r@example.org")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Prochains événements" in page  # the dashboard itself is shown
    assert "demandes-a-valider" not in page
