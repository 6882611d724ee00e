"""Model fields that several page types share, declared once."""

from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from home.blocks import INLINE_FEATURES


def introduction_field(help_text):
    """The short rich-text introduction at the top of a page; ``help_text`` says where it shows."""
    return RichTextField(_("introduction"), blank=True, features=INLINE_FEATURES, help_text=help_text)
