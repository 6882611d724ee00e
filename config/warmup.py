"""What every worker would otherwise build on its first request, built once in gunicorn's master before it forks.

gunicorn loads the application in its master (``preload_app``) and forks the
workers from it; a worker also replaces itself every ``max_requests``. A new
worker's first request used to take about half a second: Django filling its
URL resolvers (Wagtail's admin holds hundreds of patterns) and compiling every
template the page extends and includes. While it did, the requests queued
behind it waited. Done once in the master, both are inherited by every worker
through the fork. Nothing here touches the database or the cache: a
connection opened before a fork would be shared by the workers.
"""

import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def project_template_names():
    """(engine, name) of every template of the project's own folders: site/ and each of our apps."""
    base = Path(settings.BASE_DIR).resolve()
    for backend in engines.all():
        folders = [Path(folder) for folder in backend.engine.dirs]
        folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
        for folder in folders:
            folder = folder.resolve()
            if base not in folder.parents or ".venv" in folder.parts or not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.suffix in (".html", ".txt", ".xml") and path.is_file():
                    yield backend, path.relative_to(folder).as_posix()


def warm_up():
    """Fill the URL resolvers and compile the project's templates; returns how many templates."""
    started = time.perf_counter()
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - fills every resolver's lookups, Wagtail's admin included
    resolver.resolve("/")
    compiled = 0
    for backend, name in project_template_names():
        try:
            backend.get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment that only makes sense included
            continue
    logger.info("Workers warmed up: %d templates compiled in %.0f ms", compiled, 1000 * (time.perf_counter() - started))
    return compiled
