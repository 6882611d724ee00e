"""Audience questions: asked only where the event chose them, optional, explained, recorded by staff too."""

from html import unescape

import pytest
from django.urls import reverse

from registrations import tokens
from registrations.models import AudienceQuestion, Registration
from tests.registrations.factories import make_event, make_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    event = make_event(home_page, capacity=20)
    event.audience_questions.set(AudienceQuestion.objects.filter(key__in=["quartier", "age"]))
    event.save()  # a parental relation is written with the page
    return event


def form_data(**extra):
    return {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "consent": "on",
        "website": "",
        "started": tokens.make_form_started(),
        **extra,
    }


def test_the_defaults_are_defined_once_in_french():
    labels = dict(AudienceQuestion.objects.values_list("key", "label"))
    assert labels == {
        "quartier": "Vous habitez",
        "age": "Votre tranche d'âge",
        "premiere_venue": "Est-ce votre première venue à La Coursive ?",
        "statut": "Vous venez en tant que",
    }
    assert "Aux Grésilles" in AudienceQuestion.objects.get(key="quartier").choice_list


def test_the_form_asks_the_chosen_questions_as_optional_and_says_why(client, event):
    html = unescape(client.get(reverse("registrations:register", args=[event.pk])).content.decode())
    assert "<legend>Pour nos financeurs (facultatif)</legend>" in html
    assert "uniquement aux statistiques anonymes" in html
    assert 'name="audience_quartier"' in html and 'name="audience_age"' in html
    assert 'name="audience_statut"' not in html  # not chosen for this event
    fieldset = html.split('class="audience-questions"')[1].split("</fieldset>")[0]
    assert "(obligatoire)" not in fieldset


def test_the_answers_are_saved_apart_and_unanswered_questions_leave_nothing(client, event, fast_forms):
    response = client.post(
        reverse("registrations:register", args=[event.pk]), form_data(audience_quartier="Aux Grésilles")
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="camille@example.org")
    assert registration.audience == {"quartier": "Aux Grésilles"}
    assert registration.answers == {}


def test_an_answer_outside_the_choices_is_refused(client, event, fast_forms):
    response = client.post(reverse("registrations:register", args=[event.pk]), form_data(audience_age="120 ans"))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_an_event_without_questions_shows_no_fieldset(client, home_page):
    event = make_event(home_page, capacity=20)
    html = client.get(reverse("registrations:register", args=[event.pk])).content.decode()
    assert "audience-questions" not in html


def test_staff_record_the_answers_of_a_phone_sign_up(manager_client, event):
    url = reverse("inscriptions:event_add", args=[event.pk])
    assert 'name="audience_quartier"' in manager_client.get(url).content.decode()
    manager_client.post(
        url, {"first_name": "Paul", "last_name": "Durand", "email": "", "seats": "1", "audience_age": "65 ans et plus"}
    )
    assert Registration.objects.get(last_name="Durand").audience == {"age": "65 ans et plus"}


def test_the_event_editor_offers_the_questions_in_the_registrations_tab(admin_client, event):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert 'name="audience_questions"' in html
    assert "signed_sheets-TOTAL_FORMS" in html  # the scans of signed sheets, in the same tab
    assert "Questions pour les statistiques des financeurs" in html or "questions pour les statistiques" in html


def test_staff_record_the_answers_asked_at_the_door_on_the_registration(manager_client, event):
    registration = make_registration(event, audience={"age": "18 à 25 ans"})
    url = reverse("inscriptions:edit", args=[registration.pk])
    html = manager_client.get(url).content.decode()
    assert 'name="audience_quartier"' in html and 'value="18 à 25 ans"' in html
    data = {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": "",
        "phone": "",
        "audience_quartier": "Aux Grésilles",
        "audience_age": "18 à 25 ans",
    }
    assert manager_client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.audience == {"quartier": "Aux Grésilles", "age": "18 à 25 ans"}
