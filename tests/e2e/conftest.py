"""Real-browser fixtures: one Debian Chromium per session, a live server, the demo content.

Playwright's sync API runs an event loop in the test thread; Django's ORM
refuses to run beside a running loop unless told it is safe. It is safe here:
the test thread only touches the database between browser calls.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
# Playwright waits this long for an element before failing; pages here answer in milliseconds.
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, whether or not its module says so."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def _missing(reason):
    """In CI a missing tool is a failure (the suite must really run); on a laptop, a clear skip."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{reason} (CI=true: the browser suite must run).", pytrace=False)
    pytest.skip(f"{reason} — run `make e2e-deps` to install it.")


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_PATH.is_file():
        _missing(f"axe-core not found at {AXE_PATH}")
    return AXE_PATH


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    """One headless Debian Chromium for the whole session (Playwright's own download is unreachable)."""
    if not CHROMIUM_PATH.exists():
        _missing(f"Chromium not found at {CHROMIUM_PATH}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev.txt pins it
        _missing("the `playwright` Python package is not installed")
    from django.db import connections

    # Playwright marks an event loop as running in this thread. From then on asgiref
    # keeps Django's connections per context instead of per thread, so the test thread
    # gets new connection objects, without the snapshot taken when the test database
    # was created. Hand the snapshot over, or serialized rollback restores nothing.
    snapshot = getattr(connections["default"], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if snapshot is not None and not hasattr(connections["default"], "_test_serialized_contents"):
            connections["default"]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# The database right after the first ``load_demo`` of this process, as Django's serialized rollback
# keeps the migrations' rows: every later journey restores it (about a second) instead of building
# the demo again (``load_demo``: some ten seconds on SQLite, more on PostgreSQL, at every journey).
_DEMO_SNAPSHOT = {}


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback):
    """The demo content, committed so that the live server's thread sees it.

    Transactional tests empty every table afterwards; the serialized rollback puts
    back what migrations created (Wagtail's root page, locale, collection, groups).
    The first journey of the session runs ``load_demo`` and keeps a snapshot of the
    whole database; the next ones empty the tables and restore that snapshot, so each
    journey starts from the same rows (same primary keys), and the demo's files in
    MEDIA_ROOT are those the first ``load_demo`` wrote. ``load_demo`` itself is tested
    in tests/home/test_load_demo.py and the apps' test_demo.py.
    """
    from django.core.cache import cache
    from django.db import connection
    from wagtail.models import Site

    snapshot = _DEMO_SNAPSHOT.get(connection.settings_dict["NAME"])
    if snapshot is None:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        _DEMO_SNAPSHOT[connection.settings_dict["NAME"]] = connection.creation.serialize_db_to_string()
    else:
        _restore(connection, snapshot)
    # What the previous journey left in the local-memory cache (page cache generation, Wagtail's
    # site root paths, the remembered routes' generation) must not outlive its database.
    cache.clear()
    return Site.objects.get(is_default_site=True)


def _tables_restored_by_the_serialized_rollback(connection):
    """The tables holding rows when a journey starts: the previous one emptied every table (``flush``),
    then the serialized rollback put back the migrations' rows."""
    import json

    from django.apps import apps

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        return connection.introspection.django_table_names(only_existing=True, include_views=False)
    tables = set()
    for label in {entry["model"] for entry in json.loads(contents)}:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        # Many-to-many rows travel with their model in the snapshot (a group's permissions).
        tables.update(field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many)
    return sorted(tables)


# SQLite's full-text index (an FTS5 virtual table, wagtail.search on SQLite) refuses the batched raw insert.
ROW_BY_ROW_TABLES = {"wagtailsearch_indexentry_fts"}


def _restore(connection, snapshot):
    """Django's ``deserialize_db_from_string``, but one INSERT per table and batch instead of a save per row.

    Raw inserts, as a fixture's loading does: no signals, no ``auto_now``, each model's own table
    only (a Wagtail page's ``wagtailcore_page`` row is in the snapshot as a row of its own), the
    many-to-many rows in their through tables. Foreign keys are checked at the end, as Django does.
    """
    from collections import defaultdict

    from django.core import serializers
    from django.db import transaction

    rows, links, one_by_one = defaultdict(list), defaultdict(list), []
    for deserialized in serializers.deserialize("json", snapshot, using=connection.alias):
        instance = deserialized.object
        if instance._meta.db_table in ROW_BY_ROW_TABLES:
            one_by_one.append(deserialized)
            continue
        rows[type(instance)].append(instance)
        for name, targets in (deserialized.m2m_data or {}).items():
            field = instance._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links[through].extend(through(**{source: instance.pk, target: pk}) for pk in targets)
    with transaction.atomic(using=connection.alias):
        with connection.constraint_checks_disabled(), connection.cursor() as cursor:
            # Cheaper than a second ``flush`` (on PostgreSQL a TRUNCATE of every table): foreign keys
            # are checked at the end of the transaction, so the order of the deletions does not matter.
            for table in _tables_restored_by_the_serialized_rollback(connection):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (model tables)
            for model, instances in rows.items():
                fields = model._meta.local_concrete_fields
                size = connection.ops.bulk_batch_size(fields, instances) or len(instances)
                for start in range(0, len(instances), size):
                    model._base_manager.using(connection.alias)._insert(
                        instances[start : start + size], fields=fields, raw=True, using=connection.alias
                    )
            for through, instances in links.items():  # no primary key in the snapshot: the database draws it
                through._base_manager.using(connection.alias).bulk_create(instances)
            for deserialized in one_by_one:
                deserialized.save()
        connection.check_constraints(table_names=[model._meta.db_table for model in [*rows, *links]])


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile per test (no cookies carried over), French, desktop-sized.

    bypass_csp: the site's Content-Security-Policy rightly refuses inline scripts, and
    axe-core is injected as one; the pages' own behaviour is unchanged.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", viewport=DESKTOP, bypass_csp=True
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def workshop(demo_site, fast_forms):
    """A published workshop in the agenda: two seats, a waiting list and two questions of its own.

    With ``fast_forms``: browsers fill forms in milliseconds.
    """
    from tests.events.factories import make_agenda
    from tests.registrations.factories import make_event

    put_agenda_in_menu(demo_site, make_agenda(demo_site.root_page.specific))
    return make_event(
        demo_site.root_page.specific,
        title="Atelier réparation de vélos",
        slug="atelier-reparation-velos",
        summary="Apprendre à régler ses freins et changer une chambre à air, entre voisins.",
        capacity=2,
        waitlist_enabled=True,
        questions=[
            {
                "label": "Venez-vous avec votre vélo ?",
                "field_type": "single_choice",
                "required": True,
                "choices": "Oui\nNon",
            },
            {"label": "Ce que vous aimeriez apprendre", "field_type": "long_text", "required": False},
        ],
    )


def put_agenda_in_menu(site, agenda):
    """Add the agenda to the main menu, as staff would, unless the demo content already did."""
    from home.models import MenuItem, SiteSettings

    site_settings = SiteSettings.for_site(site)
    if not site_settings.menu_items.filter(link_page=agenda).exists():
        MenuItem.objects.create(settings=site_settings, link_page=agenda, label="Agenda", sort_order=1)


@pytest.fixture
def admin_user_password(demo_site):
    """A superuser of the French admin, as the association's coordinator would have."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("coordination", "coordination@example.org", "mot-de-passe-e2e")
    return "coordination", "mot-de-passe-e2e"


@pytest.fixture
def editor_password(demo_site):
    """A member of "Rédaction" (config/roles.py), not a superuser: the communications staff."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("communication", "communication@example.org", "mot-de-passe-e2e")
    user.groups.add(Group.objects.get(name="Rédaction"))
    return "communication", "mot-de-passe-e2e"


@pytest.fixture
def manager_password(demo_site):
    """A member of "Gestion des inscriptions" (created by its data migration), not a superuser."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("accueil", "accueil@example.org", "mot-de-passe-e2e")
    user.groups.add(Group.objects.get(name="Gestion des inscriptions"))
    return "accueil", "mot-de-passe-e2e"


def log_in_to_admin(page, username, password):
    """Through Wagtail's own login form, in French."""
    import re

    page.goto("/admin/login/")
    page.get_by_label(re.compile("identifiant", re.I)).fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name=re.compile("S'identifier|Se connecter", re.I)).click()
    page.wait_for_url(re.compile(r"/admin/$"))
