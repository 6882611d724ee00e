"""The « Actions financées » snippet: its editor (objectives, events chooser) and the link to its report."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from config.roles import REGISTRATIONS, ensure_team_roles
from tests.funders.factories import FundedActionFactory

pytestmark = pytest.mark.django_db


def test_the_editor_groups_the_action_its_funders_targets_and_events(admin_client):
    html = admin_client.get(reverse("wagtailsnippets_funders_fundedaction:add")).content.decode()
    for name in ("title", "scheme", "first_year", "last_year", "funders", "funder_text", "note"):
        assert f'name="{name}"' in html, name
    assert "targets-TOTAL_FORMS" in html and "action_events-TOTAL_FORMS" in html
    assert "Objectifs chiffrés" in html and "Événements de l&#x27;action" in html


def test_the_listing_links_each_action_to_its_report(admin_client):
    action = FundedActionFactory(title="Vivre ensemble")
    html = admin_client.get(reverse("wagtailsnippets_funders_fundedaction:list")).content.decode()
    assert reverse("funders:report", args=[action.pk]) in html and "Voir le bilan" in html


def test_the_registrations_team_keeps_the_funded_actions(home_page):
    ensure_team_roles()
    codenames = set(Group.objects.get(name=REGISTRATIONS).permissions.values_list("codename", flat=True))
    assert {"add_fundedaction", "change_fundedaction", "view_fundedaction", "change_audiencequestion"} <= codenames
