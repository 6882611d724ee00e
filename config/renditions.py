"""Image renditions made ahead of the first visitor.

The filter specs are read from the project's own templates (``{% image %}``,
``{% picture %}``, ``{% srcset_image %}``), so the list never drifts from what
the pages really ask for; ``WARM_RENDITIONS_EXTRA_SPECS`` adds any others.
Every image gets every spec: a few extra small files are cheaper than a slow
first page view after an upload.
"""

import logging
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.text import smart_split
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

IMAGE_TAG = re.compile(r"{%-?\s*(image|picture|srcset_image)\s+\S+\s+(.*?)\s*-?%}", re.DOTALL)


def project_template_dirs():
    """Template folders of this project (site/ and our apps), not those of installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    for app in apps.get_app_configs():
        app_path = Path(app.path).resolve()
        if app_path.is_relative_to(base) and ".venv" not in app_path.parts:
            dirs.append(app_path / "templates")
    return [d for d in dirs if d.is_dir()]


def specs_from_tag(tag_name, arguments):
    """The rendition specs one tag asks for, expanded the way Wagtail's image tags expand them."""
    specs = []
    for bit in smart_split(arguments):
        if bit == "as":
            break
        if "=" not in bit:
            specs.append(bit)
    if not specs:
        return []
    if tag_name == "image":
        return ["|".join(specs)]
    return Filter.expand_spec(specs)


def template_filter_specs():
    found = set(getattr(settings, "WARM_RENDITIONS_EXTRA_SPECS", []))
    for folder in project_template_dirs():
        for path in folder.rglob("*.html"):
            for tag_name, arguments in IMAGE_TAG.findall(path.read_text(encoding="utf-8")):
                found.update(specs_from_tag(tag_name, arguments))
    return sorted(found)


def warm_image(image, specs):
    """Create the missing renditions of one image; returns how many specs it now has."""
    if not specs:
        return 0
    try:
        return len(image.get_renditions(*specs))
    except Exception:  # a missing or broken source file must not stop the others
        logger.warning("Could not make renditions of image %s", image.pk, exc_info=True)
        return 0


@task()
def warm_image_renditions(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        warm_image(image, template_filter_specs())


def queue_renditions_after_upload(sender, instance, created, **kwargs):
    """post_save receiver on the image model: warm a new image once its upload is committed."""
    if created and getattr(settings, "WARM_RENDITIONS_ON_UPLOAD", True):
        transaction.on_commit(lambda: warm_image_renditions.enqueue(instance.pk))
