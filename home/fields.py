"""Model fields and editor panels that several page types share, declared once."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from home.blocks import INLINE_FEATURES


def introduction_field(help_text):
    """The short rich-text introduction at the top of a page; ``help_text`` says where it shows."""
    return RichTextField(_("introduction"), blank=True, features=INLINE_FEATURES, help_text=help_text)


# Wagtail's own slug help ("… e.g http://domain.com/blog/[my-slug]/") stays half English in French.
SLUG_HELP = _(
    "La fin de l'adresse de la page, par exemple « atelier-numerique » dans "
    "https://lacoursiveboutaric.fr/agenda/atelier-numerique/ : lettres minuscules, chiffres et tirets. "
    "La changer casse les liens déjà partagés."
)

# The "Référencement" tab of every page type: Wagtail's fields, with French help.
PROMOTE_PANELS = [
    MultiFieldPanel(
        [FieldPanel("slug", help_text=SLUG_HELP), FieldPanel("seo_title"), FieldPanel("search_description")],
        heading=_("Pour les moteurs de recherche"),
    ),
    MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("Pour les menus du site")),
]
