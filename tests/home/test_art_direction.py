"""Editor-filled pictures: one crop for phones, one for wide screens, both around the focal point."""

import re

import pytest
from wagtail.images.tests.utils import get_test_image_file

from home.models import HomePage
from tests.home.factories import ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hero(home_page):
    image = ImageFactory(file=get_test_image_file(size=(1600, 1000)), description="La façade vitrée")
    home = HomePage.objects.get(pk=home_page.pk)
    home.hero_image = image
    home.save_revision().publish()
    return image


def hero_picture(client):
    body = client.get("/").content.decode()
    return re.search(r'<section class="hero[^"]*">\s*<picture>(.*?)</picture>', body, re.S).group(1)


def test_the_hero_has_a_phone_crop_and_a_wide_crop(client, hero):
    picture = hero_picture(client)
    wide = re.findall(r'<source media="\(min-width: 48em\)" type="image/(webp|jpeg)" srcset="([^"]+)"', picture)
    assert [kind for kind, _url in wide] == ["webp", "jpeg"]
    assert all("fill-1600x700" in url for _kind, url in wide)
    phone = re.search(r'<img src="([^"]+)" width="(\d+)" height="(\d+)"', picture)
    assert "fill-800x1000" in phone.group(1)
    assert int(phone.group(3)) > int(phone.group(2)), "the phone crop is upright, not a letterbox"


def test_crops_follow_the_focal_point_the_editor_sets(client, hero):
    before = hero_picture(client)
    hero.focal_point_x, hero.focal_point_y, hero.focal_point_width, hero.focal_point_height = 1400, 500, 200, 200
    hero.save()
    after = hero_picture(client)
    assert before != after
    assert hero.renditions.filter(filter_spec="fill-800x1000|format-webp").exclude(focal_point_key="").exists()
