"""Renditions are made ahead of the first visitor, from the specs the templates use."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.images.models import Rendition

from config.renditions import IMAGE_TAG, specs_from_tag, template_filter_specs
from tests.home.factories import ImageFactory


@pytest.fixture(autouse=True)
def empty_rendition_cache():
    """Wagtail caches renditions by image id: ids come back after each test's rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def specs_in(template_source):
    return sorted(spec for tag, args in IMAGE_TAG.findall(template_source) for spec in specs_from_tag(tag, args))


def test_specs_are_read_like_wagtails_image_tags():
    source = """
    {% image page.image fill-800x450 format-webp loading="lazy" %}
    {% picture item.logo max-{200,400}x100 format-{avif,webp} alt="" %}
    {% srcset_image page.image width-{320,640} as photo %}
    {% image self.photo original %}
    {% picture page.image fill-1200x600 format-{avif,jpeg} sizes="(max-width: 50em) 46rem, 100vw" class="hero" %}
    """
    assert specs_in(source) == sorted(
        [
            "fill-800x450|format-webp",
            "max-200x100|format-avif",
            "max-200x100|format-webp",
            "max-400x100|format-avif",
            "max-400x100|format-webp",
            "width-320",
            "width-640",
            "original",
            "fill-1200x600|format-avif",
            "fill-1200x600|format-jpeg",
        ]
    )


@override_settings(WARM_RENDITIONS_EXTRA_SPECS=["fill-40x40", "width-30|format-webp"])
def test_extra_specs_are_included():
    specs = template_filter_specs()
    assert "fill-40x40" in specs
    assert "width-30|format-webp" in specs


@pytest.mark.django_db
@override_settings(WARM_RENDITIONS_EXTRA_SPECS=["fill-40x40", "width-30|format-webp"])
def test_warm_renditions_creates_every_rendition_once(capsys):
    images = ImageFactory.create_batch(2)
    specs = template_filter_specs()
    call_command("warm_renditions")
    assert Rendition.objects.count() == 2 * len(specs)
    assert set(Rendition.objects.values_list("filter_spec", flat=True)) >= {"fill-40x40", "width-30|format-webp"}
    first = set(Rendition.objects.values_list("pk", flat=True))
    call_command("warm_renditions")
    assert set(Rendition.objects.values_list("pk", flat=True)) == first
    assert "2 image(s)" in capsys.readouterr().out
    assert images[0].renditions.filter(filter_spec="fill-40x40").get().width == 40


@pytest.mark.django_db
@override_settings(WARM_RENDITIONS_EXTRA_SPECS=["fill-40x40"])
def test_a_broken_image_does_not_stop_the_others():
    broken, sound = ImageFactory.create_batch(2)
    broken.file.storage.delete(broken.file.name)
    call_command("warm_renditions")
    assert sound.renditions.filter(filter_spec="fill-40x40").exists()
    assert not broken.renditions.exists()


@pytest.mark.django_db
@override_settings(WARM_RENDITIONS_EXTRA_SPECS=["fill-40x40"], WARM_RENDITIONS_ON_UPLOAD=True)
def test_a_new_upload_is_warmed_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory()
    assert get_image_model().objects.get(pk=image.pk).renditions.filter(filter_spec="fill-40x40").exists()
