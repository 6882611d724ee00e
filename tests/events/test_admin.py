"""Editors: tree rules, defaults, validation, creation in the admin, listings, scheduling, search."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage, EventPage, Venue
from home.models import HomePage
from tests.events.factories import EventPageFactory, VenueFactory, days_from_now, paris
from tests.home.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coursive():
    return VenueFactory(name="La Coursive Boutaric", address="33 place Galilée", postcode="21000", is_default=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_tree_rules():
    assert EventPage.can_create_at(EventIndexPage())
    assert not EventPage.can_create_at(HomePage())
    assert not EventPage.can_create_at(EventPage())
    assert EventIndexPage.can_create_at(HomePage())


def test_only_one_agenda_per_parent(agenda, home_page):
    assert not EventIndexPage.can_create_at(home_page)


def test_end_before_start_is_refused_in_french(agenda):
    page = EventPageFactory.build(start=paris(2099, 7, 3, 17), end=paris(2099, 7, 3, 9))
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert error.value.message_dict["end"] == ["La fin de l'événement ne peut pas précéder son début."]


def test_all_day_end_on_the_same_day_is_accepted(agenda):
    EventPageFactory.build(start=paris(2099, 7, 3, 12), end=paris(2099, 7, 3, 0), all_day=True).clean()


def test_only_one_default_venue():
    first = VenueFactory(is_default=True)
    second = VenueFactory(is_default=True)
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    assert Venue.get_default() == second


def test_add_form_starts_at_the_default_venue(admin_client, agenda, coursive):
    html = admin_client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/").content.decode()
    venue_input = re.search(r'<input type="hidden" name="venue"[^>]*>', html).group(0)
    assert f'value="{coursive.pk}"' in venue_input


def event_form_data(**overrides):
    data = {
        "title": "Atelier cartographie",
        "slug": "atelier-cartographie",
        "start": "2099-07-03 09:30",
        "end": "2099-07-03 17:00",
        "access_and_price": "Gratuit — inscription obligatoire",
        "status": "scheduled",
        "summary": "Dessiner ensemble la carte des coopérations du quartier.",
        "objectives": rich_text(""),
        "body": streamfield([]),
        "event_partners": inline_formset([]),
        "registration_questions": inline_formset([]),
        "sessions": inline_formset([]),
        "price_tiers": inline_formset([]),
        "signed_sheets": inline_formset([]),
        "schedule": "single",
        "registration_mode": "none",
        "max_seats_per_registration": "1",
        "staff_notification": "each",
        "online_payment": "off",  # the editor finds the default chosen
        "waitlist_offer_hours": "24",  # the editor finds it filled in with the default
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_event_forms_save_only_when_the_editor_chooses(admin_client, agenda, coursive):
    """No background autosave (it created the page a second time under the editor's click: a server error);
    leaving with unsaved changes still asks first."""
    event = EventPageFactory(parent=agenda)
    for url in (f"/admin/pages/add/events/eventpage/{agenda.pk}/", f"/admin/pages/{event.pk}/edit/"):
        html = admin_client.get(url).content.decode()
        forms = [found.split() for found in re.findall(r'<form[^>]*data-controller="([^"]*)"', html)]
        assert any("w-unsaved" in controllers for controllers in forms), url
        assert not any("w-autosave" in controllers for controllers in forms), url


def test_create_an_event_in_the_admin(admin_client, agenda, coursive):
    form_html = admin_client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/").content.decode()
    for name in ["event_partners-TOTAL_FORMS", "registration_questions-TOTAL_FORMS", "start", "end", "venue"]:
        assert f'name="{name}"' in form_html
    partner = PartnerFactory(name="Ocim", logo=None)
    data = event_form_data(
        venue=str(coursive.pk),
        event_partners=inline_formset([{"partner": str(partner.pk), "role": "organiser"}]),
    )

    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = EventPage.objects.get(slug="atelier-cartographie")
    assert page.live
    assert page.get_parent().specific == agenda
    assert page.start == paris(2099, 7, 3, 9, 30)
    assert page.venue == coursive
    assert [(link.partner.name, link.role) for link in page.event_partners.all()] == [("Ocim", "organiser")]


@pytest.mark.parametrize("capacity", ["", "30"])
def test_preview_of_a_new_event(admin_client, agenda, coursive, capacity):
    url = f"/admin/pages/add/events/eventpage/{agenda.pk}/preview/"
    partner = PartnerFactory(name="Ocim", logo=None)
    data = event_form_data(
        venue=str(coursive.pk),
        capacity=capacity,
        registration_mode="open" if capacity else "none",
        event_partners=inline_formset([{"partner": str(partner.pk), "role": "organiser"}]),
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Atelier cartographie" in html
    assert "<h3>Organisé par</h3>" in html and "Ocim" in html


def test_admin_shows_the_french_error_next_to_the_end_field(admin_client, agenda):
    data = event_form_data(start="2099-07-03 17:00", end="2099-07-03 09:00")
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["La fin de l'événement ne peut pas précéder son début."]
    assert not EventPage.objects.filter(slug="atelier-cartographie").exists()


def test_agenda_explorer_lists_date_and_status(admin_client, agenda):
    EventPageFactory(parent=agenda, title="Atelier annulé", start=paris(2099, 7, 3, 9, 30), status="cancelled")
    response = admin_client.get(f"/admin/pages/{agenda.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Statut de l&#x27;événement" in html or "Statut de l'événement" in html
    assert "vendredi 3 juillet 2099, 9\u00a0h\u00a030" in html
    # In the status column ("Annulé" alone is in the status filter of every agenda listing).
    assert re.search(r"<td[^>]*>\s*Annulé\s*</td>", html)


def test_agenda_explorer_shows_latest_events_first(admin_client, agenda):
    EventPageFactory(parent=agenda, title="Atelier de mars", start=paris(2099, 3, 3, 9))
    EventPageFactory(parent=agenda, title="Atelier de mai", start=paris(2099, 5, 3, 9))
    EventPageFactory(parent=agenda, title="Atelier d'avril", start=paris(2099, 4, 3, 9))
    html = admin_client.get(f"/admin/pages/{agenda.pk}/").content.decode()
    positions = [html.index(title) for title in ["Atelier de mai", "Atelier d&#x27;avril", "Atelier de mars"]]
    assert positions == sorted(positions)


def test_event_edit_view_renders(admin_client, agenda):
    page = EventPageFactory(parent=agenda)
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    # The tab labels themselves ("Contenu", "Inscriptions", "Publication" are words of every edit page).
    tabs = re.findall(r'<a id="tab-label-[^"]*"[^>]*role="tab"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs == ["Contenu", "Inscriptions", "Référencement"]
    # The "Publication" tab holds only Wagtail's publishing panel, which Wagtail 7 shows in its
    # scheduling dialog instead (the empty tab is not drawn).
    assert 'name="go_live_at"' in html and 'name="expire_at"' in html


def test_agenda_snippets_menu(admin_client, coursive):
    assert admin_client.get("/admin/snippets/events/venue/").status_code == 200
    assert "La Coursive Boutaric" in admin_client.get("/admin/snippets/events/venue/").content.decode()
    assert admin_client.get("/admin/snippets/events/eventcategory/").status_code == 200
    html = admin_client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    menu = json.dumps(json.loads(props.group(1)), ensure_ascii=False)
    assert '"label": "Agenda"' in menu
    assert '"label": "Lieux"' in menu and '"label": "Catégories"' in menu


def test_scheduled_event_is_not_public_before_its_publication_date(client, agenda):
    page = EventPageFactory(parent=agenda, title="Programmé plus tard", live=False, start=days_from_now(30))
    page.go_live_at = timezone.now() + timedelta(days=2)
    page.save_revision().publish()
    page.refresh_from_db()

    assert not page.live
    assert client.get("/agenda/" + page.slug + "/").status_code == 404
    assert "Programmé plus tard" not in client.get(agenda.url).content.decode()

    with freeze_time(timezone.now() + timedelta(days=3)):
        call_command("publish_scheduled")
    assert client.get("/agenda/" + page.slug + "/").status_code == 200


def test_events_are_found_by_wagtail_search(agenda):
    EventPageFactory(parent=agenda, title="Atelier", summary="Cartographie sensible des coopérations")
    EventPageFactory(parent=agenda, title="Conférence", summary="Histoire du quartier")
    results = EventPage.objects.live().search("cartographie")
    assert [page.title for page in results] == ["Atelier"]
    assert Page.objects.live().search("cartographie").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"registration_mode": "external"}, "registration_url", "Indiquez l'adresse du site où l'on s'inscrit"),
        (
            {"registration_mode": "open", "max_seats_per_registration": "0"},
            "max_seats_per_registration",
            "au moins 1 place",
        ),
        (
            {"registration_mode": "open", "waitlist_offers": "on", "waitlist_offer_hours": "0"},
            "waitlist_offer_hours",
            "au moins 1 heure",
        ),
        (
            {
                "registration_mode": "open",
                "registration_opens_at": "2099-06-20 09:00",
                "registration_closes_at": "2099-06-10 09:00",
            },
            "registration_closes_at",
            "doit venir après leur ouverture",
        ),
    ],
)
def test_registration_settings_that_would_break_the_form_are_refused(admin_client, agenda, overrides, field, message):
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", event_form_data(**overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not EventPage.objects.filter(slug="atelier-cartographie").exists()


def test_a_choice_question_without_choices_is_refused(admin_client, agenda):
    questions = inline_formset(
        [
            {
                "label": "Votre structure ?",
                "field_type": "single_choice",
                "required": "on",
                "help_text": "",
                "choices": "",
            }
        ]
    )
    data = event_form_data(registration_mode="open", capacity="10", registration_questions=questions)
    response = admin_client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", data)
    assert response.status_code == 200
    question_form = response.context["form"].formsets["registration_questions"].forms[0]
    assert "au moins un choix" in question_form.errors["choices"][0]
    assert not EventPage.objects.filter(slug="atelier-cartographie").exists()
