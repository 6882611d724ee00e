"""StreamField blocks editors compose pages from.

Each block has an icon, a template in ``site/templates/blocks/``, a French
label, a description and a preview value so that the block chooser shows what
the block looks like before it is added.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]
# Short texts (introductions): no headings, no lists.
INLINE_FEATURES = ["bold", "italic", "link"]
# Answers, objectives: short texts that may hold a list.
LIST_FEATURES = [*INLINE_FEATURES, "ul", "ol"]


class HeadingBlock(blocks.StructBlock):
    """A section title (h2) that also structures the page for screen readers."""

    text = blocks.CharBlock(label=_("Texte"), max_length=200)

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "blocks/heading_block.html"
        description = _("Titre de section (niveau 2) : il structure la page pour tous les lecteurs.")
        preview_value = {"text": "Un lieu ouvert sur le quartier"}


class CaptionedImageBlock(blocks.StructBlock):
    """An image with a visible caption and photo credit."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        max_length=250,
        help_text=_("Décrit l'image pour qui ne la voit pas. Laisser vide si la légende suffit."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Crédit"), required=False, max_length=120, help_text=_("Auteur de la photo."))

    class Meta:
        icon = "image"
        label = _("Image légendée")
        template = "blocks/captioned_image_block.html"
        description = _("Une image avec sa légende et le crédit du photographe.")


class QuoteBlock(blocks.StructBlock):
    """A highlighted quotation with who said it."""

    quote = blocks.TextBlock(label=_("Citation"), max_length=600)
    attribution = blocks.CharBlock(label=_("Auteur"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote_block.html"
        description = _("Une phrase mise en avant, avec son auteur.")
        preview_value = {
            "quote": "La culture est un moteur de développement social, humain et local.",
            "attribution": "Les fondateurs de La Coursive",
        }


class CallToActionBlock(blocks.StructBlock):
    """A short invitation with one button towards a page or an address."""

    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.TextBlock(label=_("Texte"), required=False, max_length=400)
    button_label = blocks.CharBlock(label=_("Libellé du bouton"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page de destination"), required=False)
    url = blocks.URLBlock(
        label=_("Ou adresse externe"), required=False, help_text=_("Utilisée si aucune page n'est choisie.")
    )

    class Meta:
        icon = "link"
        label = _("Appel à l'action")
        template = "blocks/call_to_action_block.html"
        description = _("Un encadré avec un bouton vers une page du site ou une adresse externe.")
        preview_value = {
            "title": "Envie de nous rejoindre ?",
            "text": "Passez nous voir place Galilée ou écrivez-nous.",
            "button_label": "Nous contacter",
            "url": "https://example.org/",
        }


class TitledListBlock(blocks.StructBlock):
    """A block made of an optional section title above a list of items (figures, steps, people...)."""

    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Chiffre"), max_length=20, help_text=_("Par exemple « 15 » ou « 3,7 M€ »."))
    label = blocks.CharBlock(label=_("Légende"), max_length=100)

    class Meta:
        icon = "order"
        label = _("Chiffre")


class KeyFiguresBlock(TitledListBlock):
    """A row of key figures (number + label)."""

    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Chiffres"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Chiffres clés")
        template = "blocks/key_figures_block.html"
        description = _("Une rangée de chiffres marquants, chacun avec sa légende.")
        preview_value = {
            "title": "En quelques chiffres",
            "figures": [
                {"figure": "15", "label": "structures membres"},
                {"figure": "500 m²", "label": "de lieu ouvert"},
            ],
        }


class TimelineEntryBlock(blocks.StructBlock):
    period = blocks.CharBlock(
        label=_("Période"), max_length=40, help_text=_("Par exemple « 2010 » ou « 2007 – 2014 ».")
    )
    title = blocks.CharBlock(label=_("Titre"), max_length=150)
    text = blocks.TextBlock(label=_("Texte"), required=False, max_length=1200)

    class Meta:
        icon = "date"
        label = _("Étape")


class TimelineBlock(TitledListBlock):
    """A dated history, one step after another."""

    entries = blocks.ListBlock(TimelineEntryBlock(), label=_("Étapes"), min_num=1)

    class Meta:
        icon = "history"
        label = _("Frise chronologique")
        template = "blocks/timeline_block.html"
        description = _("Les grandes dates d'une histoire, dans l'ordre.")
        preview_value = {
            "entries": [
                {
                    "period": "2010",
                    "title": "Création de l'association",
                    "text": "Le pôle de coopération voit le jour.",
                },
                {"period": "2019", "title": "Place Galilée", "text": "Installation au cœur des Grésilles."},
            ]
        }


class PersonBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Nom"), max_length=120)
    role = blocks.CharBlock(label=_("Rôle"), required=False, max_length=120)
    organisation = blocks.CharBlock(label=_("Structure"), required=False, max_length=150)
    photo = ImageChooserBlock(label=_("Photo"), required=False)

    class Meta:
        icon = "user"
        label = _("Personne")


class PeopleBlock(TitledListBlock):
    """A group of people (board, team) with role and organisation."""

    people = blocks.ListBlock(PersonBlock(), label=_("Personnes"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Personnes")
        template = "blocks/people_block.html"
        description = _("Une équipe ou un conseil d'administration : nom, rôle, structure et photo.")
        preview_value = {
            "people": [
                {"name": "Camille Martin", "role": "Présidente", "organisation": "Compagnie du quartier"},
                {"name": "Sacha Petit", "role": "Trésorier", "organisation": "Radio associative"},
            ]
        }


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Réponse"), features=LIST_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class AccordionBlock(TitledListBlock):
    """Questions and answers that open one at a time (FAQ)."""

    items = blocks.ListBlock(AccordionItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Questions fréquentes")
        template = "blocks/accordion_block.html"
        description = _("Des questions dont la réponse s'ouvre d'un clic (foire aux questions).")
        preview_value = {
            "items": [
                {"question": "Le lieu est-il ouvert à tous ?", "answer": "<p>Oui, du lundi au vendredi.</p>"},
            ]
        }


class BodyBlock(blocks.StreamBlock):
    """The blocks offered in the body of content pages, articles and events."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Texte"),
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="blocks/paragraph_block.html",
        description=_("Du texte mis en forme : paragraphes, listes, liens."),
        preview_value="<p>La Coursive Boutaric est un lieu de vie partagé au cœur des Grésilles.</p>",
    )
    image = ImageBlock(
        label=_("Image"),
        template="blocks/image_block.html",
        description=_("Une image seule, avec son texte alternatif."),
    )
    captioned_image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    key_figures = KeyFiguresBlock()
    timeline = TimelineBlock()
    people = PeopleBlock()
    embed = EmbedBlock(
        label=_("Vidéo ou contenu intégré"),
        icon="media",
        template="blocks/embed_block.html",
        description=_("L'adresse d'une vidéo ou d'un contenu à intégrer (PeerTube, Vimeo…)."),
        help_text=_("Collez l'adresse de la page de la vidéo."),
    )
    accordion = AccordionBlock()


class ObjectiveBlock(blocks.StructBlock):
    """One of the association's objectives, shown as a card on the home page."""

    title = blocks.CharBlock(label=_("Titre"), max_length=150)
    text = blocks.TextBlock(label=_("Texte"), max_length=600)

    class Meta:
        icon = "tick"
        label = _("Objectif")
        template = "blocks/objective_block.html"
        description = _("Un objectif : un titre court et deux ou trois phrases.")
        preview_value = {"title": "Coopérer", "text": "Mutualiser des moyens entre structures culturelles."}


class QuestionAnswerBlock(blocks.StructBlock):
    """A question of the directory form with its answer (member pages)."""

    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Réponse"), features=LIST_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question et réponse")
        template = "blocks/question_answer_block.html"
        description = _("Une question du répertoire et la réponse du projet.")
        preview_value = {
            "question": "Quel est le modèle économique du projet ?",
            "answer": "<p>Location de bureaux et prestations de conseil.</p>",
        }
