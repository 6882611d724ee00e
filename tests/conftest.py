"""Shared fixtures: the demo-free site skeleton most tests start from, fast forms, seeded randomness."""

import os
import random

import factory.random
import pytest
from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page, Site

from home.models import HomePage
from tests.avif import remember_avif_encodings

SEED = pytest.StashKey[int]()


def pytest_configure(config):
    """One seed for the run's random choices: TEST_SEED if set, else drawn now (and printed).

    Under pytest-xdist (``make test``) every worker takes the seed the main process drew,
    so that the printed TEST_SEED replays the choices of every worker.
    """
    handed_over = getattr(config, "workerinput", {}).get("test_seed")
    if handed_over is not None:
        config.stash[SEED] = handed_over
        return
    value = os.environ.get("TEST_SEED", "").strip()
    config.stash[SEED] = int(value) if value else random.SystemRandom().randrange(1_000_000)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: hand the run's seed to each worker it starts."""
    node.workerinput["test_seed"] = node.config.stash[SEED]


def pytest_report_header(config):
    return f"TEST_SEED={config.stash[SEED]} (set it to replay this run's random choices)"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test shows the seed beside its traceback."""
    report = yield
    if report.failed:
        report.sections.append(("random seed", f"TEST_SEED={item.config.stash[SEED]} replays its random choices"))
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if terminalreporter.stats.get("failed") or terminalreporter.stats.get("error"):
        terminalreporter.write_line(f"Random choices of this run: rerun with TEST_SEED={config.stash[SEED]}")


def _seed_of(request):
    """The run's seed and the test's id: a test's draws do not depend on which tests ran before it."""
    return f"{request.config.stash[SEED]}:{request.node.nodeid}"


@pytest.fixture(autouse=True, scope="session")
def _mail_through_the_outbox(django_test_environment):
    """Django's test set-up swaps EMAIL_BACKEND for its in-memory one: put the outbox back, as in production.

    The outbox then delivers to that in-memory backend (``OUTBOX_DELIVERY_BACKEND``
    in the test settings), so ``mail.outbox`` holds what actually left, after commit.
    """
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"


@pytest.fixture(autouse=True, scope="session")
def _avif_encoded_once():
    """The same picture at the same size is AVIF-encoded once per process (tests/avif.py)."""
    undo = remember_avif_encodings()
    yield
    undo()


@pytest.fixture(autouse=True)
def _seeded_factories(request):
    """factory-boy's Faker values (names in RegistrationFactory) follow the seed too."""
    factory.random.reseed_random(_seed_of(request))


@pytest.fixture
def rng(request):
    """A ``random.Random`` for this test, seeded from TEST_SEED (never the global ``random``)."""
    return random.Random(_seed_of(request))


@pytest.fixture
def home_page(db):
    """A HomePage as the default site's root, as a fresh install has it."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="La Coursive Boutaric", slug="accueil"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="La Coursive Boutaric"
    )
    return home


@pytest.fixture
def fast_forms(settings):
    """Tests and browsers submit forms at once and many times: lift the anti-robot delay and rate limits.

    The registration tests use it everywhere, the browser tests where they fill forms;
    the delay and the limits have their own tests, which set them back.
    """
    settings.REGISTRATION_MIN_FILL_SECONDS = 0
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Each test keeps its uploaded proofs in a folder of its own (the private storage reads the setting)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")
    return settings.PRIVATE_MEDIA_ROOT
