"""The action's report in the admin: managers only, figures against targets, charts, constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.funders.factories import FundedActionFactory, Indicator, add_target, attach, came, neighbourhood, past_event

pytestmark = pytest.mark.django_db


def build(home_page, events):
    action = FundedActionFactory(title="Les Grésilles en fête", note="Une belle année de rencontres.")
    made = [past_event(home_page, -10 - n) for n in range(events)]
    attach(action, *made)
    for n, event in enumerate(made):
        came(event, email=f"p{n}@example.org", audience={"quartier": "Aux Grésilles"})
        came(event, email="fidele@example.org", audience={"quartier": "Ailleurs"}, seats=2)
    add_target(action, Indicator.PARTICIPANTS, 300, label="participations")
    add_target(action, Indicator.ANSWER_SHARE, 40, question=neighbourhood(), answers="Aux Grésilles", label="QPV")
    return action


def test_the_report_shows_figures_against_targets_with_charts(home_page, manager_client):
    action = build(home_page, 3)
    response = manager_client.get(reverse("funders:report", args=[action.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les Grésilles en fête" in html and "Une belle année de rencontres." in html
    assert "9 sur 300" in html  # 3 events × (1 + 2 people)
    assert "50 % sur 40 %" in html  # 3 of the 6 respondents live at the Grésilles
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') >= 4  # targets and breakdowns
    assert "<script" not in html.split('id="main"')[-1].split("</main>")[0]
    assert reverse("funders:pack", args=[action.pk]) in html
    assert '<th scope="col">Participations</th>' in html


def test_only_registration_managers_see_the_report_and_the_pack(home_page, editor_client, client):
    action = build(home_page, 1)
    for name in ("funders:report", "funders:pack"):
        url = reverse(name, args=[action.pk])
        refused = editor_client.get(url)
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a message: never the figures.
        assert refused.status_code in (302, 403)
        assert refused.status_code == 403 or refused["Location"] == reverse("wagtailadmin_home")
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def report_queries(client, action):
    url = reverse("funders:report", args=[action.pk])
    client.get(url)  # warm per-process caches (content types, site settings)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_reads_as_many_queries_for_30_events_as_for_3(home_page, manager_client):
    small = report_queries(manager_client, build(home_page, 3))
    large = report_queries(manager_client, build(home_page, 30))
    # 21 with the admin's own (session, user, menu): the action, its funders and targets, events, dates,
    # kept rows, live registrations with their attendees and presences, keys, sessions, questions.
    assert small == large == 21


def test_one_year_of_a_two_year_action(home_page, manager_client):
    action = build(home_page, 1)  # this year's event (ten days ago, or last year early in January)
    year = action.action_events.get().event.start.year
    other = action.first_year if year == action.last_year else action.last_year
    url = reverse("funders:report", args=[action.pk])
    html = manager_client.get(url, {"annee": other}).content.decode()
    assert f'<option value="{other}" selected>' in html
    assert "0 sur 300" in html  # no event that year
    assert f"dossier.zip?annee={other}" in html
    assert "3 sur 300" in manager_client.get(url, {"annee": year}).content.decode()
    assert "3 sur 300" in manager_client.get(url, {"annee": "1990"}).content.decode()  # not its year: all
    response = manager_client.get(reverse("funders:pack", args=[action.pk]), {"annee": other})
    assert response["Content-Disposition"].endswith(f'-{other}.zip"')
