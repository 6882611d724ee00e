"""The agenda's essential structure: event categories, the default venue and the agenda page.

Used by ``config/structure.py`` for ``setup_site`` (a real deployment) and by the demo (``events/demo.py``),
so that both build the same objects. Idempotent: every object is looked up
(category by slug, venue by name or as the default one, agenda under the site's
root) before it is created, and nothing that already exists is changed.
"""

from events.models import EventCategory, EventIndexPage, Venue
from home.structure import add_menu_item

CATEGORIES = [
    ("Atelier", "atelier"),
    ("Conférence", "conference"),
    ("Exposition", "exposition"),
    ("Événement festif et citoyen", "evenement-festif-et-citoyen"),
    ("Formation", "formation"),
]

DEFAULT_VENUE_NAME = "La Coursive Boutaric"
DEFAULT_VENUE = {
    "address": "33 place Galilée",
    "postcode": "21000",
    "city": "Dijon",
    "access_notes": "Au cœur du quartier des Grésilles, dans l'espace vitré qui donne sur la place Galilée.",
    "accessibility_notes": "Pour préparer votre venue (mobilité réduite, besoins particuliers), "
    "écrivez à l'équipe avant l'événement.",
}


def categories():
    """The event categories, by slug (created if missing)."""
    result = {}
    for name, slug in CATEGORIES:
        category, _created = EventCategory.objects.get_or_create(slug=slug, defaults={"name": name})
        result[slug] = category
    return result


def default_venue():
    """La Coursive, the venue new events start with (created as the default venue if missing).

    A venue the staff renamed is still found as the default one, so a second run
    never adds a duplicate.
    """
    venue = Venue.objects.filter(name=DEFAULT_VENUE_NAME).first() or Venue.get_default()
    if venue is None:
        venue = Venue.objects.create(name=DEFAULT_VENUE_NAME, is_default=True, **DEFAULT_VENUE)
    return venue


def agenda(site):
    """The agenda page under the site's home page (created and published if missing)."""
    page = EventIndexPage.objects.descendant_of(site.root_page).first()
    if page is None:
        page = site.root_page.add_child(
            instance=EventIndexPage(
                title="Agenda",
                slug="agenda",
                introduction="<p>Ateliers, rencontres professionnelles, formations et temps festifs "
                "à La Coursive Boutaric et avec ses partenaires.</p>",
            )
        )
        page.save_revision().publish()
    return page


def build(site):
    """Categories, default venue and agenda, linked second in the main menu. Returns the agenda page."""
    categories()
    default_venue()
    page = agenda(site)
    link_agenda(site)
    return page


def link_agenda(site):
    """Put the agenda second in the main menu once it exists (idempotent)."""
    page = EventIndexPage.objects.live().descendant_of(site.root_page).first()
    if page is not None:
        add_menu_item(site, page, position=1)
