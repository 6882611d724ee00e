"""No irreversible surprise: publishing a change that e-mails registrants asks the editor to confirm first."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventPage
from registrations import services
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def edit_data(event, action="action-publish", **overrides):
    """The edit form as the editor posts it, with the event's current values and ``overrides``."""
    data = {
        "title": event.title,
        "slug": event.slug,
        "start": local(event.start),
        "end": "",
        "access_and_price": event.access_and_price,
        "status": event.status,
        "summary": event.summary,
        "contact_email": event.contact_email,
        "objectives": rich_text(""),
        "body": streamfield([]),
        "event_partners": inline_formset([]),
        "registration_questions": inline_formset([]),
        "sessions": inline_formset([]),
        "price_tiers": inline_formset([]),
        "signed_sheets": inline_formset([]),
        "schedule": "single",
        "registration_mode": event.registration_mode,
        "capacity": str(event.capacity),
        "waitlist_enabled": "on",
        "max_seats_per_registration": str(event.max_seats_per_registration),
        "staff_notification": event.staff_notification,
        "online_payment": event.online_payment,
        "waitlist_offer_hours": event.waitlist_offer_hours,
        action: "x",
    }
    data.update(overrides)
    return nested_form_data(data)


def edit(client, event, commit, **kwargs):
    with commit():
        return client.post(f"/admin/pages/{event.pk}/edit/", edit_data(event, **kwargs))


@pytest.fixture
def booked(home_page):
    event = make_event(home_page, capacity=3)
    for n in (1, 2):
        services.register(event, **person(n))
    services.register(event, **person(3, email=""), source="staff")  # signed up by phone: no e-mail, not counted
    mail.outbox.clear()
    return event


def notices():
    return [m for m in mail.outbox if m.subject.startswith(("Événement annulé", "Changement", "Événement reporté"))]


def test_cancelling_without_the_box_is_refused_with_the_count_and_keeps_the_edits(editor_client, booked, commit):
    response = edit(editor_client, booked, commit, status="cancelled", title="Atelier (annulé)")
    assert response.status_code == 200
    errors = response.context["form"].errors["confirm_notification"]
    assert errors == [
        "2 personnes vont être prévenues par e-mail (l'annulation de l'événement). "
        "Cochez la case pour confirmer, puis publiez à nouveau."
    ]
    html = response.content.decode()
    assert "2 personnes vont être prévenues par e-mail" in html
    assert 'name="confirm_notification"' in html and "Oui, prévenir ces 2 personnes par e-mail" in html
    assert 'value="Atelier (annulé)"' in html  # the edits are still in the form
    assert notices() == []
    stored = EventPage.objects.get(pk=booked.pk)
    assert stored.status == "scheduled" and stored.title == booked.title


def test_confirming_publishes_and_emails(editor_client, booked, commit):
    response = edit(editor_client, booked, commit, status="cancelled", confirm_notification="on")
    assert response.status_code == 302, response.context["form"].errors
    assert EventPage.objects.get(pk=booked.pk).status == "cancelled"
    assert sorted(m.to[0] for m in notices()) == ["camille1@example.org", "camille2@example.org"]


def test_moving_the_date_asks_too(editor_client, booked, commit):
    later = local(booked.start + datetime.timedelta(days=7))
    response = edit(editor_client, booked, commit, start=later)
    assert "2 personnes vont être prévenues par e-mail (le changement de date ou de lieu)" in response.content.decode()
    assert notices() == []
    response = edit(editor_client, booked, commit, start=later, confirm_notification="on")
    assert response.status_code == 302
    assert len(notices()) == 2


def test_a_draft_needs_no_confirmation_and_sends_nothing(editor_client, booked, commit):
    response = edit(editor_client, booked, commit, action="action-save", status="cancelled")
    assert response.status_code == 302, response.context["form"].errors
    assert notices() == []
    assert EventPage.objects.get(pk=booked.pk).status == "scheduled"  # live version unchanged
    assert EventPage.objects.get(pk=booked.pk).get_latest_revision_as_object().status == "cancelled"


def test_no_confirmation_when_nobody_is_registered_or_nothing_is_announced(editor_client, home_page, booked, commit):
    empty = make_event(home_page, slug="vide")
    response = edit(editor_client, empty, commit, status="cancelled")
    assert response.status_code == 302, response.context["form"].errors
    # A change registrants are not told of (the summary) publishes at once.
    response = edit(editor_client, booked, commit, summary="Un nouveau résumé.")
    assert response.status_code == 302, response.context["form"].errors
    assert notices() == []
    assert "confirm_notification" not in editor_client.get(f"/admin/pages/{booked.pk}/edit/").content.decode()


def test_one_person_reads_the_singular(editor_client, home_page, commit):
    event = make_event(home_page, slug="seul")
    services.register(event, **person(1))
    response = edit(editor_client, event, commit, status="postponed")
    assert (
        response.context["form"]
        .errors["confirm_notification"][0]
        .startswith("1 personne va être prévenue par e-mail (le report de l'événement).")
    )


def test_bulk_publishing_such_a_change_is_refused(editor_client, booked, home_page, commit):
    """The explorer's bulk « Publier » has no confirmation box: nothing is published, nobody e-mailed."""
    booked.status = "cancelled"
    booked.save_revision()  # a draft: the cancellation waits for publication
    quiet = make_event(home_page, slug="calme")
    quiet.summary = "Un nouveau résumé."
    quiet.save_revision()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    with commit():
        response = editor_client.post(f"{url}?id={booked.pk}&id={quiet.pk}&next=/admin/", follow=True)
    html = response.content.decode()
    assert "Rien n&#x27;est publié" in html and f"« {booked.title} »" in html
    assert EventPage.objects.get(pk=booked.pk).status == "scheduled"
    assert EventPage.objects.get(pk=quiet.pk).has_unpublished_changes  # all or nothing
    assert notices() == []

    # Without such a change, bulk publishing works as before.
    with commit():
        editor_client.post(f"{url}?id={quiet.pk}&next=/admin/")
    assert EventPage.objects.get(pk=quiet.pk).summary == "Un nouveau résumé."
