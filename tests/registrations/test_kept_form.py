"""The empty registration form is rendered once per generation, yet each visitor gets a form of their own.

``{% keptform %}`` (registrations/templatetags/registration_tags.py) keeps the
``<form>`` of an unbound registration form in the worker and fills in, on each
request, the visitor's CSRF token and the single-use start time. These tests
send the kept forms back with CSRF checks on, and check that whatever changes
the form (a publication, the event becoming full, answers to show again)
shows at the next request.
"""

import re
from html import unescape

import pytest
from django.db import connection
from django.template import Template, TemplateSyntaxError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.registrations.factories import make_event, person

pytestmark = pytest.mark.django_db

QUESTION = {"label": "Votre structure", "field_type": "single_choice", "choices": "Association\nCollectivité"}


def url(event):
    return reverse("registrations:register", args=[event.pk])


def hidden(html, name):
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} in the form"
    return unescape(found[1])


def answers(html, n):
    """What a visitor sends back from this form: its two tokens, their identity, the first choice of each question."""
    data = {
        "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
        "started": hidden(html, "started"),
        "first_name": "Camille",
        "last_name": f"Martin {n}",
        "email": f"camille{n}@example.org",
        "consent": "on",
        "website": "",
    }
    for name, value in re.findall(r'<input type="radio" name="(q\d+)" value="([^"]+)"', html):
        data.setdefault(name, unescape(value))
    return data


@pytest.fixture
def event(home_page):
    return make_event(home_page, title="Atelier au formulaire gardé", capacity=2, questions=[QUESTION])


def test_each_visitor_of_the_kept_form_gets_their_own_tokens_and_can_register(event, commit, settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 0
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    pages = [visitor.get(url(event)).content.decode() for visitor in visitors]
    # The second and third forms come from the kept one: tokens differ, the rest is the same form.
    assert len({hidden(html, "started") for html in pages}) == 3
    assert len({hidden(html, "csrfmiddlewaretoken") for html in pages}) == 3
    assert all("Votre structure" in html and 'name="q' in html for html in pages)
    for n, (visitor, html) in enumerate(zip(visitors, pages, strict=True)):
        with commit():
            response = visitor.post(url(event), answers(html, n))
        assert response.status_code == 302, response.content.decode()[:500]
    assert Registration.objects.filter(event=event).count() == 3
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]


def test_a_kept_form_sent_twice_is_refused_the_second_time(event, commit, settings):
    settings.REGISTRATION_MIN_FILL_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    client.get(url(event))
    html = client.get(url(event)).content.decode()  # the kept one, filled for this request
    with commit():
        assert client.post(url(event), answers(html, 1)).status_code == 302
    again = answers(html, 2)
    with commit():
        response = client.post(url(event), again)
    assert response.status_code == 200
    assert "vient déjà d&#x27;être envoyé" in response.content.decode()


def test_the_button_says_waiting_list_at_the_next_request_once_full(event, client):
    assert "M'inscrire</button>" in unescape(client.get(url(event)).content.decode())
    services.register(event, **person(1))
    services.register(event, **person(2))
    html = unescape(client.get(url(event)).content.decode())
    assert "M'inscrire sur la liste d'attente</button>" in html


def test_a_published_question_shows_at_the_next_request(event, client):
    client.get(url(event))
    assert "Votre régime alimentaire" not in client.get(url(event)).content.decode()
    event.registration_questions.create(label="Votre régime alimentaire", field_type="short_text", sort_order=1)
    event.save_revision().publish()
    assert "Votre régime alimentaire" in client.get(url(event)).content.decode()


def test_a_form_with_errors_shows_the_answers_given_not_the_kept_form(event, client):
    client.get(url(event))
    html = client.get(url(event)).content.decode()
    data = answers(html, 1)
    data["email"] = "pas-une-adresse"
    response = client.post(url(event), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Martin 1"' in page and 'value="pas-une-adresse"' in page
    assert 'aria-invalid="true"' in page
    # and the next empty form is still the kept one, empty
    assert 'value="Martin 1"' not in client.get(url(event)).content.decode()


def test_a_registration_post_reads_the_form_definition_once_per_generation(event, client, commit, settings):
    """The POST validates against the tiers and questions the GET read (same generation), then decides.

    Only the decision reads afresh, under the lock: the event's row, its tiers (quotas) and its seats.
    """
    settings.REGISTRATION_MIN_FILL_SECONDS = 0
    html = client.get(url(event)).content.decode()
    with commit(), CaptureQueriesContext(connection) as queries:
        response = client.post(url(event), answers(html, 1))
    assert response.status_code == 302
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "registrationquestion" in sql or "audiencequestion" in sql]
    assert len([sql for sql in statements if 'FROM "registrations_pricetier"' in sql]) == 1  # under the lock
    assert len([sql for sql in statements if "wagtailcore_pageviewrestriction" in sql]) == 0  # private sections
    assert len(statements) <= 18, statements  # 13 once the event's change snapshot exists (its first registration)
    assert Registration.objects.get().answers  # the question read from the memo was answered and stored


@pytest.mark.parametrize("tag", ["keptform", "keptlisting"])
def test_a_kept_block_without_its_subject_is_refused_when_the_template_loads(tag):
    with pytest.raises(TemplateSyntaxError, match=f"'{tag}' needs"):
        Template(f"{{% load registration_tags %}}{{% {tag} %}}x{{% end{tag} %}}")
    block = Template(f"{{% load registration_tags %}}{{% {tag} subject %}}kept{{% end{tag} %}}")
    assert block.nodelist[-1].nodelist.render({}) == "kept"
