"""The association's part of the site's essential structure, the same for a real deployment and for the demo.

``build()`` makes the default site's root a ``HomePage`` (Wagtail's welcome page
is removed), then creates the contact page, the legal notice, the privacy
policy and the accessibility statement and the site settings that link them.
``config/structure.py`` adds the agenda (``events/structure.py``) and the main
menu, for ``python manage.py setup_site`` (sober placeholder texts that staff
complete) and ``load_demo`` (the demo's texts, then the demo content).

Idempotent: every page is looked up (by parent and slug) before it is created,
and nothing that already exists is changed; site settings only get the values
they lack.

Other apps add themselves to the main menu with
``add_menu_item(site, page, label="", position=None, before=None)``.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from home.models import ContactPage, ContentPage, FormField, HomePage, MenuItem, SiteSettings

SITE_NAME = "La Coursive Boutaric"
CONTACT_EMAIL = "contact@lacoursiveboutaric.fr"
POSTAL_ADDRESS = "La Coursive Boutaric\n33 place Galilée\n21000 Dijon"
TO_COMPLETE = "[À compléter : {}]"
ROOT_TITLE = "Racine du site"


def p(*paragraphs):
    """Rich text from plain paragraphs."""
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def ul(*items):
    """Rich text holding one bulleted list."""
    return RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def to_complete(what):
    """A visible marker for what the staff must write before opening the site."""
    return TO_COMPLETE.format(what)


@dataclass(frozen=True)
class HomeStructure:
    site: Site
    home: HomePage
    contact: ContactPage
    legal: ContentPage
    privacy: ContentPage
    accessibility: ContentPage


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


def build(*, hostname=None, port=None, bodies=None):
    """Create (or find) the association's essential pages and settings. Returns a ``HomeStructure``.

    ``hostname``/``port`` replace Wagtail's install address (localhost:80) of the
    default site, and only that one: a site whose address was set is left alone.
    ``bodies`` maps "legal", "privacy" and "accessibility" to functions
    ``body(contact=…, email=…)`` returning the page's StreamField content; it
    defaults to the placeholder texts below (used only when a page is created).
    """
    home, site = home_and_site(hostname=hostname, port=port)
    contact_page = contact(home)
    email = SiteSettings.for_site(site).email or CONTACT_EMAIL
    legal_pages = {}
    for key, slug, title, introduction in LEGAL_PAGES:
        body = (bodies or PLACEHOLDER_BODIES)[key](contact=contact_page, email=email)
        legal_pages[key] = child(home, ContentPage, slug, title=title, introduction=introduction, body=body)
    site_settings(site, **legal_pages)
    return HomeStructure(site=site, home=home, contact=contact_page, **legal_pages)


def site_address_from_url(url):
    """(hostname, port) of a public base URL such as ``WAGTAILADMIN_BASE_URL``, or (None, None)."""
    parts = urlsplit(url or "")
    if not parts.hostname:
        return None, None
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def add_menu_item(site, page, label="", position=None, before=None):
    """Add ``page`` to the site's main menu unless it is already there.

    ``position`` (0-based) inserts the entry at that place, shifting the
    following ones; ``before`` (a page) inserts it just before that page's
    entry when there is one; by default it goes last. Returns the MenuItem.
    """
    site_settings = SiteSettings.for_site(site)
    existing = site_settings.menu_items.filter(link_page=page).first()
    if existing is not None:
        return existing
    items = list(site_settings.menu_items.order_by("sort_order"))
    if before is not None:
        position = next((i for i, item in enumerate(items) if item.link_page_id == before.pk), None)
    if position is None or position >= len(items):
        position = len(items)
    for index, item in enumerate(items[position:], start=position + 1):
        if item.sort_order != index:
            MenuItem.objects.filter(pk=item.pk).update(sort_order=index)
    return MenuItem.objects.create(settings=site_settings, link_page=page, label=label, sort_order=position)


# --------------------------------------------------------------------------
# Site and tree
# --------------------------------------------------------------------------


def home_and_site(*, hostname=None, port=None):
    """The home page, made the default site's root (Wagtail's welcome page is removed)."""
    # The tree's root is named "Root" by Wagtail: the admin's breadcrumbs show it to editors.
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=SITE_NAME, slug="accueil"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname or "localhost",
            port=port or 80,
            root_page=home,
            is_default_site=True,
            site_name=SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    if hostname and (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's install address: absolute URLs (sitemap, feeds, e-mails) need the real one.
        site.hostname = hostname
        site.port = port or 80
        site.save()
    # Wagtail's welcome page (a plain Page with no children) is replaced by ours.
    Page.objects.filter(depth=2, numchild=0, content_type__app_label="wagtailcore", content_type__model="page").exclude(
        pk=home.pk
    ).delete()
    return home, site


def child(parent, model, slug, **fields):
    """The child page of ``parent`` with this slug, created (live) if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision(log_action=False).publish(log_action=False)
    return page


CONTACT_FIELDS = [
    ("Votre nom", "singleline", True, "", ""),
    ("Votre adresse e-mail", "email", True, "", "Pour que nous puissions vous répondre."),
    (
        "Objet",
        "dropdown",
        True,
        "Visiter le lieu\nLouer un bureau ou un poste de coworking\nProposer un projet ou un atelier\nAutre",
        "",
    ),
    ("Votre message", "multiline", True, "", ""),
]


def contact(home):
    """The contact page (a form that e-mails the association), created if missing."""
    existing = ContactPage.objects.child_of(home).filter(slug="contact").first()
    if existing is not None:
        return existing
    page = ContactPage(
        slug="contact",
        title="Contact",
        show_in_menus=True,
        introduction="<p>Une question, une envie de visite ou de projet ? Écrivez-nous, nous répondons "
        "en quelques jours.</p>",
        thank_you_text="<p>Merci ! Votre message est bien arrivé, nous vous répondrons rapidement.</p>",
        to_address=CONTACT_EMAIL,
        from_address=CONTACT_EMAIL,
        subject="Nouveau message depuis le site",
    )
    page.form_fields = [
        FormField(label=label, field_type=kind, required=required, choices=choices, help_text=help_text, sort_order=i)
        for i, (label, kind, required, choices, help_text) in enumerate(CONTACT_FIELDS)
    ]
    home.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def site_settings(site, *, legal, privacy, accessibility):
    """Contact details and the footer's legal links; only the values still empty are filled."""
    site_settings = SiteSettings.for_site(site)
    values = {
        "address": POSTAL_ADDRESS,
        "email": CONTACT_EMAIL,
        "legal_page": legal,
        "privacy_page": privacy,
        "accessibility_page": accessibility,
    }
    return fill_blank_settings(site_settings, values)


def fill_blank_settings(site_settings, values):
    """Set each of ``values`` that the settings do not have yet; save only when something changed."""
    changed = False
    for name, value in values.items():
        if not getattr(site_settings, name):
            setattr(site_settings, name, value)
            changed = True
    if changed:
        site_settings.save()
    return site_settings


# --------------------------------------------------------------------------
# Legal pages: placeholders the staff complete, and what every version shares
# --------------------------------------------------------------------------

# key, slug, title, introduction
LEGAL_PAGES = [
    ("legal", "mentions-legales", "Mentions légales", "Qui publie ce site, qui l'héberge et comment nous joindre."),
    (
        "privacy",
        "politique-de-confidentialite",
        "Politique de confidentialité",
        "Quelles données nous recueillons, pourquoi, combien de temps nous les gardons et vos droits.",
    ),
    (
        "accessibility",
        "accessibilite",
        "Déclaration d'accessibilité",
        "Où en est l'accessibilité de ce site et comment nous signaler une difficulté.",
    ),
]


def mail_link(email):
    return f'<a href="mailto:{email}">{email}</a>'


def contact_link(contact, text="formulaire de contact"):
    return f'<a linktype="page" id="{contact.pk}">{text}</a>'


def recourse_blocks():
    """The "Voies de recours" section every accessibility statement ends with."""
    return [
        ("heading", {"text": "Voies de recours"}),
        (
            "paragraph",
            p(
                "Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu "
                "ou à un service du site, et que notre réponse ne vous a pas permis d'y accéder, vous pouvez "
                "saisir le Défenseur des droits, gratuitement :"
            ),
        ),
        (
            "paragraph",
            ul(
                'par son <a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a> ;',
                "en rencontrant la déléguée ou le délégué du Défenseur des droits le plus proche de chez vous "
                '(liste sur le <a href="https://www.defenseurdesdroits.fr/">site du Défenseur des droits</a>) ;',
                "par téléphone, au 09 69 39 00 00 ;",
                "par courrier, sans timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
            ),
        ),
    ]


def placeholder_legal_body(*, contact, email):
    return [
        ("heading", {"text": "Éditeur du site"}),
        (
            "paragraph",
            p(
                "Association La Coursive Boutaric, 33 place Galilée, 21000 Dijon.",
                f"Contact : {mail_link(email)} ou par le {contact_link(contact)}.",
                to_complete("numéro RNA ou SIRET de l'association."),
                "Directeur ou directrice de la publication : "
                + to_complete("nom et fonction de la personne responsable."),
            ),
        ),
        ("heading", {"text": "Hébergement"}),
        ("paragraph", p(to_complete("nom, adresse et téléphone de l'hébergeur du site."))),
        ("heading", {"text": "Propriété intellectuelle"}),
        (
            "paragraph",
            p(to_complete("crédits des photographies et conditions de réutilisation des textes et des images.")),
        ),
    ]


def placeholder_privacy_body(*, contact, email):
    days = settings.REGISTRATION_RETENTION_DAYS
    return [
        ("heading", {"text": "Responsable du traitement"}),
        (
            "paragraph",
            p(
                "L'association La Coursive Boutaric, 33 place Galilée, 21000 Dijon, est responsable des "
                "données personnelles recueillies sur ce site.",
                to_complete("personne à qui écrire pour toute question sur vos données."),
            ),
        ),
        ("heading", {"text": "Les données que nous recueillons"}),
        (
            "paragraph",
            p(
                "Inscription à un atelier ou à un événement : nom, prénom, adresse e-mail et, si vous les "
                "donnez, téléphone, structure et réponses aux questions de l'inscription. Elles servent "
                "uniquement à organiser l'événement (confirmation, rappel, liste d'attente).",
                "Formulaire de contact : les informations que vous saisissez, pour vous répondre.",
                to_complete("autres usages éventuels (lettre d'information, adhésions…)."),
            ),
        ),
        ("heading", {"text": "Durée de conservation"}),
        (
            "paragraph",
            p(
                f"Les données d'inscription sont effacées ou rendues anonymes {days} jours après la fin de "
                "l'événement.",
                to_complete("durée de conservation des messages reçus par le formulaire de contact."),
            ),
        ),
        ("heading", {"text": "Destinataires"}),
        (
            "paragraph",
            p(
                "Seule l'équipe chargée des inscriptions voit les données des participants ; elles ne sont "
                "ni vendues ni cédées.",
                to_complete("hébergeur du site et service d'envoi des e-mails, avec le pays où ils se trouvent."),
            ),
        ),
        ("heading", {"text": "Vos droits"}),
        (
            "paragraph",
            p(
                "Vous pouvez accéder à vos données, les faire corriger ou effacer en écrivant à "
                f"{mail_link(email)} ou par le {contact_link(contact)}. Vous pouvez aussi adresser une "
                'réclamation à la <a href="https://www.cnil.fr/">CNIL</a>.',
            ),
        ),
    ]


def placeholder_accessibility_body(*, contact, email):
    return [
        ("heading", {"text": "État de conformité"}),
        (
            "paragraph",
            p(
                "Ce site n'a pas encore fait l'objet d'un audit d'accessibilité. En attendant, il est déclaré "
                "non conforme au référentiel général d'amélioration de l'accessibilité (RGAA).",
                to_complete(
                    "après l'audit : état de conformité, date et méthode de l'audit, contenus non accessibles "
                    "et date d'établissement de cette déclaration."
                ),
            ),
        ),
        ("heading", {"text": "Signaler une difficulté"}),
        (
            "paragraph",
            p(
                "Si vous ne parvenez pas à accéder à un contenu ou à un service, écrivez-nous à "
                f"{mail_link(email)} ou par le {contact_link(contact)} : nous vous proposerons une autre "
                "façon d'obtenir l'information."
            ),
        ),
        *recourse_blocks(),
    ]


PLACEHOLDER_BODIES = {
    "legal": placeholder_legal_body,
    "privacy": placeholder_privacy_body,
    "accessibility": placeholder_accessibility_body,
}
