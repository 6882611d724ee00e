"""Every StreamField block is described for editors and renders its preview."""

import pytest

from home.blocks import BodyBlock, ObjectiveBlock, QuestionAnswerBlock

pytestmark = pytest.mark.django_db

IMAGE_OR_NETWORK_BLOCKS = {"image", "captioned_image", "embed"}  # previews need an uploaded image or the network


@pytest.mark.parametrize("name", list(BodyBlock.base_blocks))
def test_body_blocks_have_icon_label_description_and_template(name):
    block = BodyBlock().child_blocks[name]
    assert block.meta.icon and block.meta.icon != "placeholder", name
    assert block.label and block.meta.description, name
    assert block.meta.template and block.meta.template.startswith("blocks/"), name


@pytest.mark.parametrize("name", [name for name in BodyBlock.base_blocks if name not in IMAGE_OR_NETWORK_BLOCKS])
def test_body_block_previews_render(name):
    block = BodyBlock().child_blocks[name]
    value = block.get_preview_value()
    assert value, name
    html = block.render(value)
    assert len(html.strip()) > 20, name


def test_extra_blocks_render_their_previews():
    assert "Coopérer" in ObjectiveBlock().render(ObjectiveBlock().get_preview_value())
    block = QuestionAnswerBlock()
    assert "modèle économique" in block.render(block.get_preview_value())


def test_block_preview_in_the_admin_uses_the_site_styles(admin_client):
    response = admin_client.get("/admin/block-preview/", {"id": BodyBlock().child_blocks["quote"].definition_prefix})
    body = response.content.decode()
    assert response.status_code == 200
    assert "css/site.css" in body
    assert "La culture est un moteur de développement social" in body
