"""The whole site's essential structure: each app's part, put together where every app is known.

``build()`` makes sure the team's roles exist (``config/roles.py``), runs the
association's part (``home/structure.py``: home page, contact, legal, privacy
and accessibility pages, settings), then the agenda's
(``events/structure.py``: categories, default venue, agenda, second in the
menu), then puts the contact page last in the main menu. ``setup_site`` runs it
with placeholder texts; ``config/demo.py`` with the demo's texts. Idempotent,
as each part is.
"""

from dataclasses import dataclass

from wagtail.models import Page

from config.roles import ensure_team_roles
from events import structure as events_structure
from home import structure as home_structure
from home.structure import HomeStructure, add_menu_item


@dataclass(frozen=True)
class Structure(HomeStructure):
    agenda: Page


def build(*, hostname=None, port=None, bodies=None):
    """Create (or find) the essential structure. Returns a ``Structure``.

    ``hostname``, ``port`` and ``bodies``: see ``home.structure.build``.
    """
    ensure_team_roles()
    built = home_structure.build(hostname=hostname, port=port, bodies=bodies)
    agenda = events_structure.build(built.site)
    add_menu_item(built.site, built.contact)
    return Structure(**vars(built), agenda=agenda)
