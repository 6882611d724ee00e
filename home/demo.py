"""Demo content for the association's pages, built from the facts in shared/content.

``load(built)`` adds the demo content to the site's essential structure
(``config/structure.py``, the same as ``python manage.py setup_site``, built
by ``config/demo.py`` with the demo's legal, privacy and accessibility texts,
``LEGAL_BODIES`` below): the home page's
text, the project pages, news, members, partners and images. Idempotent: every
object is looked up (page by parent and slug, image by title, snippet by name)
before it is created, and nothing that already exists is changed. Images are
drawn locally with Pillow.
"""

import functools
import unicodedata
from io import BytesIO

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from home import demo_pictures, structure
from home.models import (
    ArticlePage,
    ContentPage,
    Maturity,
    MemberIndexPage,
    MemberPage,
    NewsIndexPage,
    Partner,
    PartnerCategory,
    PartnerIndexPage,
    SiteSettings,
)
from home.structure import (
    SITE_NAME,
    add_menu_item,
    child,
    contact_link,
    mail_link,
    p,
    recourse_blocks,
    ul,
)

# Warm palette shared with site.css.
TERRACOTTA = (194, 65, 12)
TEAL = (15, 82, 87)
SAND = (246, 234, 216)
CREAM = (255, 250, 243)
INK = (43, 33, 24)
OCHRE = (202, 138, 4)
PLUM = (112, 48, 84)


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def load(built):
    """Add the demo content to the site's structure (``config.structure.Structure``). Returns the Site."""
    home, site, contact = built.home, built.site, built.contact
    images = _images()
    _fill_home(home, images)
    partners = _partners(images)

    project = child(
        home,
        ContentPage,
        "le-projet",
        title="Le projet",
        show_in_menus=True,
        search_description="Un pôle de coopération culturelle et créative, un lieu ouvert aux Grésilles, à Dijon.",
        introduction=(
            "Depuis 2010, La Coursive Boutaric cherche d'autres façons de faire vivre la culture "
            "sur un territoire : en coopérant, en partageant, en misant sur l'intelligence collective."
        ),
        image=images["project"],
        body=_project_body(contact),
    )
    place = child(
        project,
        ContentPage,
        "un-lieu-ouvert",
        title="Un lieu ouvert",
        introduction="500 m² place Galilée pour travailler, se rencontrer, se former, se cultiver et créer.",
        image=images["place"],
        body=_place_body(),
    )
    child(
        project,
        ContentPage,
        "notre-histoire",
        title="Notre histoire",
        introduction="De l'immeuble Boutaric à la place Galilée : près de vingt ans de coopération aux Grésilles.",
        image=images["history"],
        body=_history_body(),
    )
    child(
        project,
        ContentPage,
        "gouvernance",
        title="La gouvernance",
        introduction=(
            "Le projet se construit avec les entreprises culturelles du pôle, les usagers du lieu, "
            "les partenaires associatifs et les habitants du quartier."
        ),
        body=_governance_body(),
    )

    news = child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        show_in_menus=True,
        introduction=p("Les nouvelles du lieu, du pôle et de ses coopérations."),
    )
    _articles(news, images, place)

    members = child(
        home,
        MemberIndexPage,
        "membres-et-projets",
        title="Membres et projets",
        show_in_menus=True,
        introduction=p(
            "Les structures membres du pôle et les tiers-lieux avec qui nous échangeons : "
            "où les trouver, ce qu'elles font, avec qui elles travaillent."
        ),
    )
    _members(members, images, partners)

    partners_page = child(
        home,
        PartnerIndexPage,
        "partenaires",
        title="Partenaires",
        show_in_menus=True,
        introduction=p(
            "La Coursive Boutaric est soutenue par l'État et les collectivités locales. "
            "Le projet existe grâce à de nombreux partenaires publics et privés, "
            "et il participe à plusieurs réseaux locaux et nationaux."
        ),
    )

    _site_settings(site, images)
    # The structure's menu is "Agenda, Contact": the project goes first, the other pages before "Contact".
    add_menu_item(site, project, position=0)
    for page in (news, members, partners_page):
        add_menu_item(site, page, before=contact)
    return site


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------


def _font_and_text(size, text):
    """A system font with accents if the machine has one, else Pillow's own font with plain ASCII."""
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size), text
        except OSError:
            continue
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    try:
        return ImageFont.load_default(size=size), ascii_text
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default(), ascii_text


def _fitting_font(text, max_width, size, smallest=14):
    """The largest font size (down to ``smallest``) at which ``text`` fits, so logos never clip a name."""
    font, fitted = _font_and_text(size, text)
    while size > smallest and hasattr(font, "getlength") and font.getlength(fitted) > max_width:
        size -= 2
        font, fitted = _font_and_text(size, text)
    return font, fitted


@functools.cache
def _draw_image(kind, width, height, text, background, accent):
    """A partner's logo: its name beside a coloured disc, in a rounded frame (pictures: demo_pictures).

    The same arguments draw the same PNG: a process draws each logo once (tests load the demo many times)."""
    canvas = PILImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((8, 8, width - 8, height - 8), radius=24, outline=accent, width=6)
    draw.ellipse((28, height // 2 - 36, 100, height // 2 + 36), fill=accent)
    font, text = _fitting_font(text, max_width=width - 120 - 28, size=34)
    draw.text((120, height // 2), text, font=font, fill=INK, anchor="lm")
    buffer = BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# key: (title, scene of home/demo_pictures.py, size, alt text). Titles name a picture once: an
# existing one is kept, so editors' replacements survive `load_demo`.
IMAGE_SPECS = {
    "hero": ("Façade vitrée, place Galilée (illustration)", "facade", (1600, 900),
             "Le rez-de-chaussée vitré de La Coursive, place Galilée, avec des passants devant l'entrée."),
    "project": ("Atelier collectif (illustration)", "workshop", (1200, 750),
                "Des membres du pôle debout devant un tableau couvert de notes, pendant un atelier."),
    "place": ("Le coworking du lieu ouvert (illustration)", "coworking", (1200, 750),
              "Des personnes au travail sur leurs ordinateurs, autour de grandes tables partagées."),
    "history": ("Frise de l'histoire du pôle (illustration)", "history", (1200, 750),
                "Une frise chronologique de six étapes, de l'immeuble Boutaric à la place Galilée."),
    "workshop": ("Workshop tiers-lieux et musées (illustration)", "workshop", (1200, 750),
                 "Un groupe de participantes et participants réunis devant un tableau de post-it."),
    "coworking": ("Postes de coworking (illustration)", "coworking", (1200, 750),
                  "Deux rangées de postes de travail occupés, sous de grandes baies vitrées."),
    "moving": ("Installation place Galilée (illustration)", "moving", (1200, 750),
               "Deux personnes à côté de cartons empilés, dans un nouvel espace lumineux."),
    "network": ("Réseau des tiers-lieux (illustration)", "network", (1200, 750),
                "Des lieux reliés entre eux sur une carte, comme un réseau."),
    "social": ("La Coursive Boutaric (image de partage)", "share", (1200, 630),
               "Le logo de La Coursive Boutaric sur fond terre cuite."),
    "boate": ("La Bo[a]te, Marseille (illustration)", "neighbourhood", (1200, 750),
              "Des immeubles d'un quartier de ville derrière une rangée d'arbres."),
    "zutique": ("Spectacle sur scène (illustration)", "stage", (1200, 750),
                "Trois artistes sur une petite scène sous les projecteurs, le public au premier rang."),
    "radio": ("Studio de radio (illustration)", "radio", (1200, 750),
              "Un micro de studio sur pied, entouré d'ondes sonores."),
    "neighbourhood": ("Le quartier des Grésilles (illustration)", "neighbourhood", (1200, 750),
                      "Les immeubles du quartier des Grésilles derrière les arbres d'un square."),
    "garden": ("Jardin partagé de l'esplanade (illustration)", "garden", (1200, 750),
               "Des voisins au travail autour de bacs de jardinage sur l'esplanade."),
    "party": ("Fête de quartier (illustration)", "stage", (1200, 750),
              "Une scène en plein air pendant une fête de quartier, le public devant."),
}  # fmt: skip


def _image(title, kind, size, text, background, accent):
    """A logo drawn once (kept if it exists already)."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = _draw_image(kind, size[0], size[1], text, background, accent)
    slug = slugify(title)[:40].strip("-") or "image"
    image = image_model(title=title, file=ImageFile(BytesIO(data), name=f"demo-{slug}.png"))
    image.save()
    return image


def picture(key):
    """The demo picture ``key`` of IMAGE_SPECS, drawn once, with its alt text as description."""
    title, scene, size, alt = IMAGE_SPECS[key]
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = demo_pictures.draw_scene(scene, size[0], size[1], seed=key)
    slug = slugify(title)[:40].strip("-") or "image"
    image = image_model(title=title, description=alt, file=ImageFile(BytesIO(data), name=f"demo-{slug}.png"))
    image.save()
    return image


def _images():
    return {key: picture(key) for key in IMAGE_SPECS}


def _logo(name, accent):
    return _image(f"Logo {name}", "logo", (480, 200), name[:24], (255, 255, 255), accent)


# --------------------------------------------------------------------------
# Home page and snippets
# --------------------------------------------------------------------------


def _fill_home(home, images):
    """Fill the home page once; an edited home page is left alone."""
    if home.objectives:
        return
    home.hero_image = images["hero"]
    home.tagline = "Tiers-lieu et pôle de coopération culturelle et créative au cœur des Grésilles, à Dijon"
    home.introduction = (
        "<p>Née en 2010, La Coursive Boutaric explore d'autres manières d'organiser l'économie de la culture "
        "et de coopérer sur un territoire. Depuis 2019, nous accueillons entreprises culturelles, "
        "coworkers et habitants dans un lieu vitré de 500 m², 33 place Galilée.</p>"
    )
    home.search_description = (
        "Tiers-lieu et pôle de coopération culturelle aux Grésilles (Dijon) : bureaux, coworking, ateliers, agenda."
    )
    home.objectives = [
        (
            "objective",
            {
                "title": "Faire grandir l'entrepreneuriat culturel",
                "text": "Conseil, formation, incubation, expérimentations et bureaux à loyer modéré pour les "
                "entreprises culturelles et créatives du territoire.",
            },
        ),
        (
            "objective",
            {
                "title": "Ouvrir des chemins aux habitants",
                "text": "Un environnement où les habitants des Grésilles se forment, se font accompagner "
                "et trouvent un coworking accessible.",
            },
        ),
        (
            "objective",
            {
                "title": "Partager un lieu de vie",
                "text": "Une programmation culturelle et citoyenne construite ensemble, ouverte sur le quartier "
                "et sur la métropole.",
            },
        ),
    ]
    home.key_figures = [
        ("figure", {"figure": "15", "label": "structures membres du pôle"}),
        ("figure", {"figure": "≈ 57", "label": "équivalents temps plein"}),
        ("figure", {"figure": "3,7 M€", "label": "de budget consolidé"}),
        ("figure", {"figure": "400 m²", "label": "de bureaux partagés"}),
        ("figure", {"figure": "500 m²", "label": "de lieu ouvert place Galilée"}),
    ]
    home.save_revision(log_action=False).publish(log_action=False)


PARTNERS = [
    # name, category, website, description, accent
    ("Ville de Dijon", PartnerCategory.FUNDER, "", "Préside le comité de pilotage du pôle.", TERRACOTTA),
    ("Dijon Métropole", PartnerCategory.FUNDER, "", "Soutient le pôle depuis ses débuts (Grand Dijon).", TEAL),
    ("Région Bourgogne-Franche-Comté", PartnerCategory.FUNDER, "", "Membre du comité de pilotage.", PLUM),
    ("État", PartnerCategory.FUNDER, "", "Lauréat 2014 de l'appel à projets PTCE.", INK),
    (
        "Grand Dijon Habitat",
        PartnerCategory.INSTITUTIONAL,
        "",
        "Le bailleur social avec qui l'aventure a commencé dans l'immeuble Boutaric.",
        OCHRE,
    ),
    (
        "Au jardin des voisins",
        PartnerCategory.NETWORK,
        "",
        "Association d'habitants née du projet « Réenchantez l'Esplanade Boutaric ».",
        TEAL,
    ),
    (
        "Ocim",
        PartnerCategory.INSTITUTIONAL,
        "",
        "Co-organisateur d'un workshop sur les tiers-lieux et les institutions culturelles.",
        TERRACOTTA,
    ),
    (
        "Movilab",
        PartnerCategory.NETWORK,
        "",
        "Réseau ouvert d'incubateurs de modes de vie durables, au plus près des territoires.",
        PLUM,
    ),
    (
        "Consortium SAPS UBFC",
        PartnerCategory.NETWORK,
        "",
        "Consortium universitaire de Bourgogne-Franche-Comté : l'Ocim y organise chaque année des workshops "
        "entre musées, recherche, entreprises et associations.",
        INK,
    ),
    ("Zutique productions", PartnerCategory.MEMBER, "", "Structure fondatrice du pôle.", TERRACOTTA),
    ("Radio Dijon Campus", PartnerCategory.MEMBER, "", "Radio associative dijonnaise.", TEAL),
    # The association itself, as organiser of its own events: never listed among its partners.
    (SITE_NAME, PartnerCategory.HOST, "", "Tiers-lieu et pôle de coopération culturelle des Grésilles.", TERRACOTTA),
]


def _partners(images):
    partners = {}
    for order, (name, category, website, description, accent) in enumerate(PARTNERS):
        partner = Partner.objects.filter(name=name).first()
        if partner is None:
            partner = Partner.objects.create(
                name=name,
                category=category,
                website=website,
                description=description,
                logo=_logo(name, accent),
                sort_order=(order + 1) * 10,
            )
        elif not partner.description or not partner.logo_id or partner.category != category:
            # Rows an older demo created bare get their text and logo (no empty card), and their role.
            partner.description = partner.description or description
            partner.logo = partner.logo or _logo(name, accent)
            partner.category = category
            partner.save()
        partners[name] = partner
    return partners


# --------------------------------------------------------------------------
# Content pages
# --------------------------------------------------------------------------


def _project_body(contact):
    return [
        ("heading", {"text": "Une association, trois engagements"}),
        (
            "paragraph",
            p(
                "La Coursive Boutaric réunit des entreprises culturelles et créatives qui ont choisi de "
                "coopérer plutôt que de rester seules. Ensemble, elles mutualisent des moyens, "
                "se forment, répondent à des projets communs et partagent leurs expériences.",
                "En 2020, le départ de l'immeuble HLM Boutaric pour un lieu de 500 m² au cœur des Grésilles "
                "a été l'occasion de réaffirmer ces engagements : soutenir l'économie culturelle, "
                "ouvrir des perspectives aux habitants et faire vivre un lieu partagé.",
            ),
        ),
        (
            "key_figures",
            {
                "title": "Le pôle en chiffres",
                "figures": [
                    {"figure": "15", "label": "structures membres"},
                    {"figure": "≈ 57", "label": "équivalents temps plein"},
                    {"figure": "3,7 M€", "label": "budget consolidé"},
                    {"figure": "5", "label": "formes juridiques représentées"},
                ],
            },
        ),
        ("heading", {"text": "Ce que le pôle apporte à ses membres"}),
        (
            "paragraph",
            RichText(
                "<ul><li>des actions de communication et de prospection menées en commun ;</li>"
                "<li>des moyens partagés à tarif préférentiel : bureaux, achats groupés ;</li>"
                "<li>des conseils personnalisés et des formations construites sur mesure ;</li>"
                "<li>une dynamique de collaboration économique entre structures.</li></ul>"
            ),
        ),
        (
            "quote",
            {
                "quote": "Pragmatisme, intelligence collective et partage d'expériences : "
                "c'est le terreau d'une croissance qui n'oublie personne.",
                "attribution": "Principe fondateur du pôle, 2010",
            },
        ),
        (
            "call_to_action",
            {
                "title": "Rejoindre le pôle ou louer un poste",
                "text": "Entreprise culturelle, porteur de projet ou habitant du quartier : parlons-en.",
                "button_label": "Nous écrire",
                "page": contact,
                "url": "",
            },
        ),
    ]


def _place_body():
    return [
        ("heading", {"text": "500 m² au 33 place Galilée"}),
        (
            "paragraph",
            p(
                "Notre lieu vitré, au cœur du quartier des Grésilles à Dijon, est pensé pour que les usagers "
                "se croisent : entreprises membres, coworkers, habitants, visiteurs d'un soir.",
            ),
        ),
        (
            "paragraph",
            RichText(
                "<ul><li><b>Des bureaux</b> pour les entreprises culturelles et créatives membres ;</li>"
                "<li><b>un coworking</b> ouvert à toutes les activités et à toutes les personnes ;</li>"
                "<li><b>des salles</b> pour se former, se réunir, exposer ou débattre ;</li>"
                "<li><b>des espaces communs</b> où naissent les rencontres et les projets.</li></ul>"
            ),
        ),
        (
            "key_figures",
            {
                "figures": [
                    {"figure": "500 m²", "label": "de lieu ouvert"},
                    {"figure": "400 m²", "label": "de bureaux occupés par les membres"},
                ]
            },
        ),
        (
            "accordion",
            {
                "title": "Questions fréquentes",
                "items": [
                    {
                        "question": "Qui peut venir travailler au coworking ?",
                        "answer": "<p>Tout le monde : indépendants, salariés nomades, étudiants, "
                        "porteurs de projet du quartier ou d'ailleurs.</p>",
                    },
                    {
                        "question": "Peut-on louer une salle pour une réunion ou un atelier ?",
                        "answer": "<p>Oui, écrivez-nous en précisant la date, la durée et le nombre de personnes.</p>",
                    },
                    {
                        "question": "Le lieu est-il accessible en fauteuil roulant ?",
                        "answer": "<p>Le lieu est de plain-pied. Signalez-nous vos besoins avant votre venue "
                        "pour que nous préparions votre accueil.</p>",
                    },
                ],
            },
        ),
    ]


def _history_body():
    entries = [
        (
            "2003 – 2007",
            "Une alliance inattendue",
            "Un opérateur culturel et un bailleur social se rapprochent : Zutique productions et Dijon Habitat "
            "partagent la conviction que la culture peut faire vivre un quartier.",
        ),
        (
            "2007",
            "Les premiers bureaux dans l'immeuble Boutaric",
            "Frédéric Ménard, directeur de Zutique productions, et Jean-Claude Girard, alors directeur de "
            "Dijon Habitat, imaginent d'installer des entreprises dans des appartements vacants. "
            "Une, deux, puis trois structures culturelles rejoignent l'immeuble.",
        ),
        (
            "2007 – 2014",
            "Réenchanter l'esplanade",
            "Entreprises et habitants mènent ensemble des actions participatives : jardin partagé, "
            "mobilier urbain et naissance de l'association Au jardin des voisins.",
        ),
        (
            "2 décembre 2010",
            "Création de l'association",
            "Le pôle de coopération La Coursive Boutaric voit officiellement le jour.",
        ),
        (
            "2014",
            "Pôle territorial de coopération économique",
            "Lauréate de l'appel à projets interministériel PTCE, La Coursive fait de la recherche "
            "et de l'expérimentation une démarche permanente.",
        ),
        (
            "2017",
            "Le 52 Battant à Besançon",
            "Le pôle remporte le marché du Grand Besançon pour ouvrir et animer un espace dédié aux "
            "industries culturelles et créatives dans le quartier Battant.",
        ),
        (
            "2019",
            "Cap sur la place Galilée",
            "Installation au 33 place Galilée, dans un espace vitré et ouvert ; la gestion du 52 Battant "
            "est confiée à un acteur local.",
        ),
        (
            "2020",
            "Un lieu de vie partagé",
            "Le déménagement depuis l'immeuble Boutaric s'achève : 500 m² pour travailler, se rencontrer "
            "et se cultiver au cœur du quartier.",
        ),
    ]
    return [
        (
            "paragraph",
            p(
                "Pendant dix ans, nous avons partagé des bureaux dans une barre d'immeuble HLM des Grésilles, "
                "expérimenté des projets de développement économique et programmé des événements "
                "avec et pour les habitants."
            ),
        ),
        (
            "timeline",
            {
                "title": "Les grandes étapes",
                "entries": [{"period": a, "title": b, "text": c} for a, b, c in entries],
            },
        ),
    ]


BOARD = [
    ("Marion Godey", "Présidente par intérim", "Administratrice de la compagnie 26 000 couverts"),
    ("Nicolas Thirion", "Secrétaire", "Directeur artistique de Why Note"),
    ("Léa Daloz", "Trésorière", "Coordinatrice des Cinémas Indépendants de Bourgogne-Franche-Comté"),
    ("Emmanuel Monbroussou", "Administrateur", "Coworker"),
    ("Valentine Leboucher", "Administratrice", "Directrice de Radio Dijon Campus"),
    ("Christophe Mandron", "Administrateur", "Gérant de Z'Am Graphisme"),
    ("Aurélia Besnard", "Administratrice", "Chargée de diffusion à l'APARR"),
    ("Jean-François Macaigne", "Administrateur", "Directeur général de Grand Dijon Habitat"),
    ("Eleonora Montagner", "Administratrice", "Enseignante à Burgundy School of Business"),
    ("Mickaël Roy", "Administrateur", "Administrateur à Zutique productions"),
]


def _governance_body():
    return [
        ("heading", {"text": "Trois collèges"}),
        (
            "paragraph",
            RichText(
                "<p>Les membres de l'association se répartissent en trois collèges :</p>"
                "<ul><li><b>les entreprises culturelles et créatives</b> membres du pôle ;</li>"
                "<li><b>les partenaires</b>, comme Dijon Habitat ou Au jardin des voisins ;</li>"
                "<li><b>les personnes qualifiées</b>, qui apportent leurs compétences au projet.</li></ul>"
                "<p>Un comité de pilotage présidé par la Ville de Dijon réunit aussi la Région, "
                "la métropole et le bailleur social.</p>"
            ),
        ),
        (
            "people",
            {
                "title": "Le conseil d'administration",
                "people": [{"name": n, "role": r, "organisation": o, "photo": None} for n, r, o in BOARD],
            },
        ),
    ]


def _legal_body(*, contact, email):
    return [
        ("heading", {"text": "Éditeur du site"}),
        (
            "paragraph",
            p(
                "Association La Coursive Boutaric, 33 place Galilée, 21000 Dijon.",
                f"Contact : {mail_link(email)}.",
                "Directeur ou directrice de la publication : la présidence de l'association.",
            ),
        ),
        ("heading", {"text": "Hébergement"}),
        ("paragraph", p("Le nom et l'adresse de l'hébergeur sont indiqués ici par l'association.")),
        ("heading", {"text": "Propriété intellectuelle"}),
        (
            "paragraph",
            p(
                "Les textes et images de ce site appartiennent à l'association ou à leurs auteurs. "
                "Merci de nous demander l'autorisation avant toute réutilisation."
            ),
        ),
    ]


def _privacy_body(*, contact, email):
    days = settings.REGISTRATION_RETENTION_DAYS
    return [
        ("heading", {"text": "Les données que nous recueillons"}),
        (
            "paragraph",
            p(
                "Quand vous vous inscrivez à un atelier ou nous écrivez par le formulaire de contact, "
                "nous recueillons votre nom, votre adresse e-mail et, si vous les donnez, votre téléphone "
                "et vos réponses aux questions de l'inscription.",
                "Ces données servent uniquement à organiser l'événement (confirmation, rappel, liste "
                "d'attente) et à vous répondre. Elles ne sont ni vendues ni cédées.",
            ),
        ),
        ("heading", {"text": "Votre consentement"}),
        (
            "paragraph",
            p(
                "Le formulaire d'inscription vous demande votre accord explicite avant tout envoi ; "
                "la date de ce consentement est enregistrée. Vous pouvez annuler votre inscription "
                "à tout moment grâce au lien reçu par e-mail."
            ),
        ),
        ("heading", {"text": "Durée de conservation"}),
        (
            "paragraph",
            p(
                f"Les données d'inscription sont effacées ou rendues anonymes {days} jours après la fin de "
                "l'événement. Seules des statistiques sans nom (nombre de participants) sont conservées "
                "pour nos bilans.",
                "Les messages du formulaire de contact sont supprimés dès qu'ils n'ont plus d'utilité.",
            ),
        ),
        ("heading", {"text": "Les statistiques pour nos financeurs"}),
        (
            "paragraph",
            p(
                "Certains formulaires posent des questions facultatives (quartier, tranche d'âge, première "
                "venue, situation) qui servent uniquement aux statistiques anonymes que nous devons aux "
                "collectivités et fondations qui financent La Coursive ; ne pas y répondre ne change rien.",
                "Quand votre inscription est effacée, ces réponses sont conservées sans votre nom ni votre "
                "adresse, avec un pseudonyme de votre adresse qui nous permet de compter chaque personne une "
                "seule fois dans l'année. La clé qui produit ce pseudonyme est détruite une fois les bilans de "
                "l'année rendus : les statistiques deviennent alors anonymes.",
                "Les chiffres que nous transmettons ne montrent jamais de groupe de moins de cinq personnes. "
                "Base légale : notre intérêt légitime à rendre compte de l'argent public ; vous pouvez vous "
                "y opposer en nous écrivant.",
            ),
        ),
        ("heading", {"text": "Vos droits"}),
        (
            "paragraph",
            p(
                "Vous pouvez accéder à vos données, les corriger ou demander leur effacement en écrivant à "
                f"{mail_link(email)}. Vous pouvez aussi saisir la CNIL.",
                "Ce site n'utilise ni traceur publicitaire ni outil de mesure d'audience tiers.",
            ),
        ),
    ]


# The date and the scope of the checks the accessibility statement reports (tests/e2e/).
ACCESSIBILITY_CHECK_DATE = "novembre 2026"
ACCESSIBILITY_CHECKED_PAGES = [
    "la page d'accueil ;",
    "une page de contenu ;",
    "la liste des actualités et un article ;",
    "l'agenda et une page d'événement ;",
    "le formulaire d'inscription, vide puis avec des erreurs de saisie ;",
    "la page qui confirme l'inscription ;",
    "la page où chaque personne inscrite gère son inscription (lien reçu par e-mail) ;",
    "la recherche ;",
    "la page des partenaires ;",
    "la page de contact ;",
    "cette déclaration.",
]


def _accessibility_body(*, contact, email):
    when = ACCESSIBILITY_CHECK_DATE
    return [
        (
            "paragraph",
            p(
                "La Coursive Boutaric veut que chacun et chacune puisse lire ce site, consulter l'agenda "
                "et s'inscrire aux ateliers, quelle que soit sa façon de naviguer : clavier, lecteur d'écran, "
                "loupe, téléphone. Cette déclaration dit où nous en sommes au regard du référentiel général "
                "d'amélioration de l'accessibilité (RGAA, version 4.1) et comment nous signaler un obstacle."
            ),
        ),
        ("heading", {"text": "État de conformité"}),
        (
            "paragraph",
            p(
                "Le site de La Coursive Boutaric est <b>non conforme</b> au RGAA 4.1.",
                "Les vérifications décrites ci-dessous n'ont relevé aucune erreur, mais elles ne remplacent pas "
                "un audit complet : le RGAA réserve les mentions « partiellement conforme » et « totalement "
                "conforme » aux sites dont un audit a mesuré le respect de chacun de ses critères. Cet audit "
                "n'a pas encore été réalisé ; nous mettrons cette déclaration à jour quand il l'aura été.",
            ),
        ),
        ("heading", {"text": "Résultats des tests"}),
        (
            "paragraph",
            p(
                f"En {when}, l'outil de test automatique axe-core a contrôlé les règles des WCAG 2.1 de niveaux "
                "A et AA, la norme internationale sur laquelle repose le RGAA, sur les pages et les étapes "
                "suivantes ; il n'y a relevé <b>aucune erreur</b> :"
            ),
        ),
        ("paragraph", ul(*ACCESSIBILITY_CHECKED_PAGES)),
        ("paragraph", p("Deux autres vérifications ont été faites à la même date :")),
        (
            "paragraph",
            ul(
                "une inscription complète à un atelier, faite uniquement au clavier : l'élément actif reste "
                "visiblement signalé à chaque étape et, en cas d'erreur, le récapitulatif des erreurs reçoit le "
                "focus et mène au champ à corriger ;",
                "des captures d'écran de ces pages en largeur de téléphone (390 pixels) et d'ordinateur "
                "(1 280 pixels) ; à 390 pixels, aucune des pages de consultation (accueil, contenu, actualités, "
                "agenda, événement, recherche, partenaires, contact) n'oblige à faire défiler le texte de côté.",
            ),
        ),
        ("heading", {"text": "Ce qui n'a pas encore été vérifié"}),
        (
            "paragraph",
            p("Nous ne connaissons pas de contenu inaccessible à ce jour. Nos vérifications ne couvrent pas :"),
        ),
        (
            "paragraph",
            ul(
                "l'audit manuel des critères du RGAA, en particulier la navigation avec des lecteurs d'écran "
                "(NVDA, JAWS, VoiceOver, TalkBack), qui reste à faire ;",
                "les documents PDF, comme la feuille d'émargement que l'équipe imprime pour les ateliers ;",
                "l'interface d'administration du site (Wagtail), réservée à l'équipe de l'association ;",
                f"les textes, images et documents publiés après {when}.",
            ),
        ),
        ("heading", {"text": "Établissement de cette déclaration"}),
        (
            "paragraph",
            p(
                f"Cette déclaration a été établie en {when}.",
                "Technologies sur lesquelles repose le site : HTML, CSS et, sur le formulaire d'inscription, "
                "un court script JavaScript.",
                "Outils de test : axe-core, piloté par Playwright dans le navigateur Chromium.",
            ),
        ),
        ("heading", {"text": "Signaler une difficulté"}),
        (
            "paragraph",
            p(
                "Si vous n'arrivez pas à accéder à un contenu ou à un service du site, dites-le-nous : écrivez à "
                f"{mail_link(email)} ou passez par le {contact_link(contact)}. Nous vous répondrons et vous "
                "proposerons une autre façon d'obtenir l'information ; l'équipe peut aussi, par exemple, vous "
                "inscrire elle-même à un atelier.",
                "Vous pouvez aussi nous écrire à La Coursive Boutaric, 33 place Galilée, 21000 Dijon.",
            ),
        ),
        *recourse_blocks(),
    ]


# --------------------------------------------------------------------------
# News, members, settings
# --------------------------------------------------------------------------


def _articles(news, images, place):
    import datetime

    articles = [
        (
            "tiers-lieux-et-institutions-culturelles",
            "Tiers-lieux et institutions culturelles : un workshop pour coopérer",
            datetime.date(2024, 6, 3),
            "L'équipe de La Coursive",
            "Le 3 juillet, l'Ocim et La Coursive réunissent musées, tiers-lieux et chercheurs "
            "pour réfléchir à ce qu'ils peuvent construire ensemble.",
            images["workshop"],
            ["Coopérer", "Rencontres"],
            [
                (
                    "paragraph",
                    p(
                        "Comment les musées et les tiers-lieux peuvent-ils faire commun sur un territoire ? "
                        "C'est la question de la journée organisée avec l'Ocim dans nos murs.",
                        "Au programme : retours d'expériences, temps d'échange et ateliers. La participation "
                        "est gratuite, sur inscription et dans la limite des places disponibles.",
                    ),
                )
            ],
        ),
        (
            "nous-nous-installons-place-galilee",
            "Nous nous installons place Galilée",
            datetime.date(2019, 5, 20),
            "L'équipe de La Coursive",
            "Après dix ans dans l'immeuble Boutaric, le pôle ouvre un lieu vitré au cœur des Grésilles.",
            images["moving"],
            ["Coopérer", "Le lieu"],
            [
                (
                    "paragraph",
                    p(
                        "Nos nouveaux locaux du 33 place Galilée sont ouverts sur la place et sur le quartier. "
                        "Bureaux, coworking et salles partagées : venez les découvrir !"
                    ),
                ),
                (
                    "call_to_action",
                    {
                        "title": "Découvrir le lieu",
                        "text": "Bureaux, coworking, salles : tout ce que le lieu propose.",
                        "button_label": "Voir le lieu",
                        "page": place,
                        "url": "",
                    },
                ),
            ],
        ),
        (
            "un-coworking-ouvert-a-tous",
            "Un coworking ouvert à toutes les activités",
            datetime.date(2020, 9, 14),
            "L'équipe de La Coursive",
            "Indépendants, étudiants, porteurs de projet : le coworking de La Coursive vous accueille à loyer modéré.",
            images["coworking"],
            ["Coopérer", "Le lieu"],
            [
                (
                    "paragraph",
                    p(
                        "Le coworking n'est pas réservé aux métiers de la culture. Il est pensé pour que des "
                        "personnes aux parcours différents travaillent côte à côte et s'entraident."
                    ),
                )
            ],
        ),
        (
            "des-tiers-lieux-en-reseau",
            "Des tiers-lieux en réseau : l'exemple de La Bo[a]te à Marseille",
            datetime.date(2021, 3, 8),
            "L'équipe de La Coursive",
            "Notre répertoire présente des lieux qui nous inspirent. Premier portrait : La Bo[a]te, "
            "espace de coworking marseillais.",
            images["network"],
            ["Coopérer", "Réseaux"],
            [
                (
                    "paragraph",
                    p(
                        "Espace de coworking et laboratoire de nouveaux usages, La Bo[a]te mêle location de "
                        "postes, programmation gratuite et partenariats avec les réseaux locaux."
                    ),
                )
            ],
        ),
    ]
    for slug, title, date, author, summary, image, tags, body in articles:
        if ArticlePage.objects.child_of(news).filter(slug=slug).exists():
            continue
        article = ArticlePage(slug=slug, title=title, date=date, author=author, summary=summary, image=image, body=body)
        article.tags.add(*tags)
        news.add_child(instance=article)
        article.save_revision(log_action=False).publish(log_action=False)


def _members(index, images, partners):
    members = [
        {
            "slug": "la-boate",
            "title": "La Bo[a]te",
            "tagline": "Un espace qui inspire la collaboration, le partage et l'appropriation de nouveaux usages.",
            "logo": images["boate"],
            "address": "35 rue de la Paix",
            "postcode": "13001",
            "city": "Marseille",
            "website": "http://laboate.com/",
            "activity": "Coworking et innovation ouverte",
            "maturity": Maturity.MATURE,
            "about": "<p>Tiers-lieu, collaborations et innovation ouverte : co-créer des technologies "
            "à dimension humaine.</p>",
            "questions": [
                (
                    "question",
                    {
                        "question": "En quoi ce projet est-il singulier et créatif ?",
                        "answer": RichText(
                            "<p>Un coworking qui observe les nouveaux usages : auto-entrepreneurs, étudiants "
                            "et jeunes créateurs y trouvent des occasions souples de mettre en commun.</p>"
                        ),
                    },
                ),
                (
                    "question",
                    {
                        "question": "Quel est le modèle économique du projet ?",
                        "answer": RichText(
                            "<p>Une initiative privée qui se finance par la location de postes et de salles "
                            "et par du conseil ; son volet social est soutenu par la Région.</p>"
                        ),
                    },
                ),
                (
                    "question",
                    {
                        "question": "Quel est son potentiel de déploiement ?",
                        "answer": RichText(
                            "<p>Membre fondateur du réseau des Cantines, le lieu conçoit des modèles de "
                            "gouvernance que d'autres peuvent reprendre.</p>"
                        ),
                    },
                ),
            ],
            "community": "2 soutiens et 1 membre actif dans le répertoire.",
            "partners": ["Movilab"],
        },
        {
            "slug": "zutique-productions",
            "title": "Zutique productions",
            "tagline": "Structure culturelle à l'origine de l'aventure de l'immeuble Boutaric.",
            "logo": images["zutique"],
            "city": "Dijon",
            "activity": "Spectacle vivant et production",
            "maturity": Maturity.MATURE,
            "about": "<p>Convaincue que la culture est un moteur de développement social, humain et local, "
            "Zutique productions s'installe dans l'immeuble Boutaric dès 2007.</p>",
            "questions": [],
            "community": "",
            "partners": ["Grand Dijon Habitat"],
        },
        {
            "slug": "radio-dijon-campus",
            "title": "Radio Dijon Campus",
            "tagline": "La radio associative qui donne la parole au territoire.",
            "logo": images["radio"],
            "city": "Dijon",
            "activity": "Radio associative",
            "maturity": Maturity.MATURE,
            "about": "<p>Radio associative dijonnaise, représentée au conseil d'administration du pôle.</p>",
            "questions": [],
            "community": "",
            "partners": [],
        },
    ]
    members += _directory_members(images)
    for data in members:
        data = dict(data)
        partner_names = data.pop("partners")
        if MemberPage.objects.child_of(index).filter(slug=data["slug"]).exists():
            continue
        member = MemberPage(**data)
        member.partners = [partners[name] for name in partner_names]
        index.add_child(instance=member)
        member.save_revision(log_action=False).publish(log_action=False)


# The 15 member structures of the pole (2013: 9 in the building, 6 elsewhere in the area). The
# sources name seven, through the board of directors; the others are invented, and say so.
NAMED_MEMBERS = [
    # slug, name, activity, tagline, accent
    ("26000-couverts", "Compagnie 26 000 couverts", "Théâtre de rue et spectacle vivant",
     "Compagnie de théâtre dont l'administratrice préside le conseil d'administration du pôle.", PLUM),
    ("why-note", "Why Note", "Musiques de création",
     "Structure musicale dont le directeur artistique est secrétaire du pôle.", TEAL),
    ("cinemas-independants-bfc", "Cinémas Indépendants de Bourgogne-Franche-Comté", "Réseau de salles de cinéma",
     "Réseau régional de cinémas indépendants, dont la coordinatrice est trésorière du pôle.", INK),
    ("zam-graphisme", "Z'Am Graphisme", "Graphisme et communication",
     "Atelier de graphisme dont le gérant siège au conseil d'administration.", OCHRE),
    ("aparr", "APARR", "Diffusion culturelle",
     "Structure de diffusion représentée au conseil d'administration par sa chargée de diffusion.", TERRACOTTA),
]  # fmt: skip
INVENTED_MEMBERS = [
    ("atelier-serigraphie", "Atelier sérigraphie (exemple)", "Impression artisanale", TERRACOTTA),
    ("studio-son-galilee", "Studio son Galilée (exemple)", "Enregistrement et podcasts", TEAL),
    ("compagnie-des-coursives", "Compagnie des coursives (exemple)", "Danse et médiation", PLUM),
    ("editions-du-quartier", "Éditions du quartier (exemple)", "Édition et ateliers d'écriture", INK),
    ("fabrique-numerique", "Fabrique numérique (exemple)", "Médiation numérique", OCHRE),
    ("collectif-photo-gresilles", "Collectif photo des Grésilles (exemple)", "Photographie", TEAL),
    ("bureau-production", "Bureau de production (exemple)", "Administration de compagnies", TERRACOTTA),
    ("cantine-solidaire", "Cantine solidaire (exemple)", "Restauration et événements", PLUM),
]
INVENTED_NOTE = (
    "<p>Fiche d'exemple : le pôle compte 15 structures membres, neuf installées dans l'immeuble et six "
    "associées sur le territoire, mais nos sources ne les nomment pas toutes. Ce nom est inventé pour "
    "montrer une entrée de l'annuaire ; l'équipe la remplace par une vraie structure.</p>"
)


def _directory_members(images):
    """Directory entries for the member structures the sources name, then invented ones, marked as such."""
    entries = []
    for slug, name, activity, tagline, accent in NAMED_MEMBERS:
        entries.append(
            {
                "slug": slug,
                "title": name,
                "tagline": tagline,
                "logo": _logo(name, accent),
                "city": "Dijon",
                "activity": activity,
                "maturity": Maturity.MATURE,
                "about": f"<p>{tagline}</p>",
                "questions": [],
                "community": "",
                "partners": [],
            }
        )
    for slug, name, activity, accent in INVENTED_MEMBERS:
        entries.append(
            {
                "slug": slug,
                "title": name,
                "tagline": f"{activity} — structure inventée pour la démonstration.",
                "logo": _logo(name.replace(" (exemple)", ""), accent),
                "city": "Dijon",
                "activity": activity,
                "maturity": Maturity.EMERGING,
                "about": INVENTED_NOTE,
                "questions": [],
                "community": "",
                "partners": [],
            }
        )
    return entries


def _site_settings(site, images):
    """The demo's opening hours, footer text and share image, where the settings have none."""
    return structure.fill_blank_settings(
        SiteSettings.for_site(site),
        {
            "opening_hours": "Du lundi au vendredi, de 9 h à 18 h\n(et en soirée les jours d'événement)",
            "footer_text": "Tiers-lieu et pôle de coopération culturelle et créative, au cœur du quartier "
            "des Grésilles à Dijon.",
            "default_social_image": images["social"],
            "getting_here": "Tram et bus du réseau Divia : arrêts du quartier des Grésilles (itinéraires et "
            "horaires sur le site de Divia Mobilités)\nÀ pied : l'entrée vitrée donne sur la place Galilée",
            "accessibility_info": "Pour préparer votre venue (mobilité réduite, accompagnement, interprétation), "
            "écrivez à l'équipe quelques jours avant : elle vous dira comment accéder à l'espace.",
        },
    )


# The demo's legal, privacy and accessibility texts, for ``config.structure.build(bodies=…)``.
LEGAL_BODIES = {"legal": _legal_body, "privacy": _privacy_body, "accessibility": _accessibility_body}
