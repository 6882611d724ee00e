"""The association's own pages and the reusable content they share.

Reads top-down: snippets, then pages, then site settings.
"""

import copy
import logging
from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import generation_memo
from core.page_queries import RememberedPublicPageManager
from home import contact
from home.blocks import INLINE_FEATURES, LIST_FEATURES, BodyBlock, KeyFigureBlock, ObjectiveBlock, QuestionAnswerBlock
from home.feeds import NewsFeed
from home.fields import PROMOTE_PANELS, introduction_field
from home.images import CARD_SPECS, LOGO_SPECS, with_renditions

logger = logging.getLogger(__name__)


class PartnerCategory(models.TextChoices):
    FUNDER = "funder", _("Financeur")
    INSTITUTIONAL = "institutional", _("Partenaire institutionnel")
    NETWORK = "network", _("Réseau")
    MEMBER = "member", _("Structure membre")
    OTHER = "other", _("Autre partenaire")
    # La Coursive organises events too: a partner row for its logo on event pages and sign-in
    # sheets, never listed among its own partners.
    HOST = "host", _("La Coursive elle-même (non listée parmi les partenaires)")


# The partners page titles each group in the plural.
PARTNER_GROUP_HEADINGS = {
    PartnerCategory.FUNDER: _("Financeurs"),
    PartnerCategory.INSTITUTIONAL: _("Partenaires institutionnels"),
    PartnerCategory.NETWORK: _("Réseaux"),
    PartnerCategory.MEMBER: _("Structures membres"),
    PartnerCategory.OTHER: _("Autres partenaires"),
}


class Partner(index.Indexed, models.Model):
    """A funder, institution, network or member shown with its logo; events link to it."""

    name = models.CharField(_("nom"), max_length=200, help_text=_("Nom complet du partenaire."))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Logo sur fond clair, de préférence au format PNG ou SVG converti."),
    )
    logo_alt = models.CharField(
        _("texte alternatif du logo"),
        max_length=200,
        blank=True,
        help_text=_("Lu par les lecteurs d'écran. Laisser vide pour utiliser le nom du partenaire."),
    )
    website = models.URLField(_("site web"), blank=True, help_text=_("Adresse complète, https://…"))
    category = models.CharField(
        _("catégorie"),
        max_length=20,
        choices=PartnerCategory.choices,
        default=PartnerCategory.INSTITUTIONAL,
        help_text=_("Détermine la rubrique dans laquelle le partenaire apparaît."),
    )
    description = models.TextField(
        _("description courte"), blank=True, max_length=500, help_text=_("Une ou deux phrases, 500 caractères au plus.")
    )
    sort_order = models.PositiveIntegerField(
        _("ordre"), default=100, help_text=_("Les plus petits nombres apparaissent en premier.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("category"),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("logo_alt")], heading=_("Logo")),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["category", "sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def logo_alt_text(self):
        return self.logo_alt or self.name


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


def paginate(request, queryset, per_page):
    """Return the requested page of a listing; an out-of-range number shows the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class HomePage(Page):
    """The site's front page: hero, introduction, objectives, figures, agenda, news and partners."""

    # Read with the page when config/routing.py serves a remembered route: the share picture shows it.
    route_select_related = ("hero_image",)

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image d'en-tête"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Grande image en haut de la page, au format paysage (au moins 1600 px de large)."),
    )
    tagline = models.CharField(_("accroche"), max_length=200, blank=True, help_text=_("Phrase courte sous le titre."))
    introduction = introduction_field(_("Un ou deux paragraphes qui présentent l'association."))
    objectives_title = models.CharField(
        _("titre des objectifs"),
        max_length=120,
        default="Nos trois objectifs",
        help_text=_("Titre de la section des objectifs."),
    )
    objectives = StreamField(
        [("objective", ObjectiveBlock())],
        verbose_name=_("objectifs"),
        blank=True,
        max_num=6,
        help_text=_("Les objectifs de l'association, présentés en cartes (trois de préférence)."),
    )
    key_figures = StreamField(
        [("figure", KeyFigureBlock())],
        verbose_name=_("chiffres clés"),
        blank=True,
        max_num=8,
        help_text=_("Quelques chiffres marquants, chacun avec sa légende."),
    )

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("tagline")], heading=_("En-tête")),
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("objectives_title"), FieldPanel("objectives")], heading=_("Objectifs")),
        FieldPanel("key_figures"),
    ]
    search_fields = Page.search_fields + [index.SearchField("tagline"), index.SearchField("introduction")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ContentPage",
        "home.NewsIndexPage",
        "home.PartnerIndexPage",
        "home.MemberIndexPage",
        "home.ContactPage",
        "events.EventIndexPage",
    ]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        """Articles and partners; the agenda's events come from its own template tags (``event_tags``)."""
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = with_renditions(ArticlePage.objects.live().public(), "image", CARD_SPECS).order_by(
            "-date", "-pk"
        )[:3]
        context["partners"] = with_renditions(
            Partner.objects.exclude(logo=None).exclude(category=PartnerCategory.HOST), "logo", LOGO_SPECS
        )[:12]
        # Lazy: the template reads them only when its cached fragments are built.
        context["news_page"] = SimpleLazyObject(lambda: NewsIndexPage.objects.live().public().first())
        context["partners_page"] = SimpleLazyObject(lambda: PartnerIndexPage.objects.live().public().first())
        return context


class ContentPage(Page):
    """A general page (project, history, governance, legal notice…) composed from blocks."""

    introduction = models.TextField(
        _("chapeau"),
        blank=True,
        max_length=600,
        help_text=_("Deux ou trois phrases en tête de page ; elles servent aussi de résumé dans les listes."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Facultative. Affichée sous le titre et utilisée pour les partages."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True, help_text=_("Le corps de la page."))

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("introduction"), FieldPanel("image")], heading=_("Présentation")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = self.get_children().live().public().specific()
        return context


class NewsIndexPage(RoutablePageMixin, Page):
    """The news listing: latest articles first, filterable by label, with an RSS feed."""

    objects = RememberedPublicPageManager()  # public() without a query per call

    # The HTML site plan links to the listing, not to every dated article under it.
    site_plan_lists_children = False

    introduction = introduction_field(_("Quelques phrases en tête de page, au-dessus de la liste des actualités."))
    per_page = models.PositiveSmallIntegerField(
        _("articles par page"), default=9, help_text=_("Nombre d'articles affichés avant la pagination.")
    )

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("per_page")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page des actualités")

    def articles(self):
        articles = ArticlePage.objects.live().public().descendant_of(self).prefetch_related("tags")
        return with_renditions(articles, "image", CARD_SPECS).order_by("-date", "-pk")

    def used_tags(self):
        return Tag.objects.filter(home_articletag_items__content_object__in=self.articles()).distinct().order_by("name")

    def tag_url(self, tag):
        return self.url + self.reverse_subpage("articles_by_tag", args=[tag.slug])

    @path("")
    def all_articles(self, request):
        # ?libelle=cooperer is an alias of the label's own address; a label with no letters in it ("!!!") is none.
        tag_slug = slugify(request.GET.get("libelle", ""))[:100]
        if tag_slug:
            return redirect(self.url + self.reverse_subpage("articles_by_tag", args=[tag_slug]))
        return self.render(request, context_overrides={"articles": paginate(request, self.articles(), self.per_page)})

    @path("libelle/<str:tag>/")
    def articles_by_tag(self, request, tag):
        current_tag = get_object_or_404(Tag, slug=tag)
        articles = self.articles().filter(tags=current_tag)
        if not articles.exists():
            raise Http404
        return self.render(
            request,
            context_overrides={"articles": paginate(request, articles, self.per_page), "current_tag": current_tag},
        )

    @path("flux/")
    def feed(self, request):
        return NewsFeed(self)(request)

    def feed_url(self):
        return self.url + self.reverse_subpage("feed")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tags"] = [(tag, self.tag_url(tag)) for tag in self.used_tags()]
        return context


class ArticleTag(TaggedItemBase):
    """Links an article to one of its labels."""

    content_object = ParentalKey("home.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    """A news article, with its date, author, summary and labels."""

    objects = RememberedPublicPageManager()  # public() without a query per call

    date = models.DateField(_("date de publication"), default=timezone.localdate, help_text=_("Date affichée."))
    author = models.CharField(_("auteur"), max_length=150, blank=True, help_text=_("Personne ou structure."))
    summary = models.TextField(
        _("résumé"), max_length=400, blank=True, help_text=_("Deux ou trois phrases pour la liste et les partages.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Image de la carte et de l'en-tête de l'article."
            " Le texte lu par les lecteurs d'écran est la « description » de l'image dans la médiathèque"
            " (vide si l'image est décorative)."
        ),
    )
    body = StreamField(
        BodyBlock(), verbose_name=_("contenu"), blank=True, help_text=_("Le texte de l'article, composé de blocs.")
    )
    tags = ClusterTaggableManager(
        through=ArticleTag,
        blank=True,
        verbose_name=_("libellés"),
        help_text=_("Thèmes de l'article, par exemple « Coopérer ». Séparés par des virgules."),
    )

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("date"), FieldPanel("author")]), FieldPanel("summary"), FieldPanel("image")],
            heading=_("Présentation"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index_page = self.news_index()
        context["news_index"] = index_page
        # Read only when the article's body is built, not when it is kept (``{% layoutcache %}``).
        context["tag_links"] = SimpleLazyObject(lambda: [(tag, index_page.tag_url(tag)) for tag in self.tags.all()])
        return context

    def news_index(self):
        """The news page the article belongs to: read once per generation (``core.generation_memo``)."""
        parent_path = self.path[: -self.steplen]
        return generation_memo.remember(("news-index", parent_path), lambda: self.get_parent().specific)


class PartnerIndexPage(Page):
    """The partners page: every partner snippet, grouped by category."""

    objects = RememberedPublicPageManager()  # public() without a query per call

    introduction = introduction_field(_("Quelques phrases en tête de page, au-dessus des logos des partenaires."))

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("page des partenaires")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        partners = list(with_renditions(Partner.objects.exclude(category=PartnerCategory.HOST), "logo", LOGO_SPECS))
        context["partner_groups"] = [
            (PARTNER_GROUP_HEADINGS[value], [p for p in partners if p.category == value])
            for value, _label in PartnerCategory.choices
            if any(p.category == value for p in partners)
        ]
        return context


class MemberIndexPage(Page):
    """The directory of member structures and partner projects."""

    introduction = introduction_field(_("Quelques phrases en tête de page, au-dessus de l'annuaire des membres."))

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.MemberPage"]
    max_count = 1

    class Meta:
        verbose_name = _("répertoire des membres")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        members = MemberPage.objects.live().public().child_of(self).select_related("logo").order_by("title")
        context["members"] = paginate(request, members, 24)
        return context


class Maturity(models.TextChoices):
    IDEA = "idea", _("Idée")
    EMERGING = "emerging", _("En développement")
    MATURE = "mature", _("Mature")


class MemberPage(Page):
    """One member structure or project of the directory: where it is, what it does, who it works with."""

    objects = RememberedPublicPageManager()  # public() without a query per call

    tagline = models.CharField(
        _("en une phrase"), max_length=250, blank=True, help_text=_("Ce que fait la structure, en une phrase.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo ou photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Logo de la structure ou photo du lieu."),
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, help_text=_("Numéro et rue."))
    postcode = models.CharField(
        _("code postal"), max_length=10, blank=True, help_text=_("Code postal de la structure, par exemple 21000.")
    )
    city = models.CharField(_("ville"), max_length=100, help_text=_("Ville où se trouve la structure."))
    country = models.CharField(_("pays"), max_length=100, default="France", help_text=_("Pays."))
    website = models.URLField(_("site web"), blank=True, help_text=_("Adresse complète, https://…"))
    activity = models.CharField(
        _("activité"), max_length=200, blank=True, help_text=_("Par exemple « Coworking », « Spectacle vivant »…")
    )
    maturity = models.CharField(
        _("maturité"),
        max_length=20,
        choices=Maturity.choices,
        default=Maturity.MATURE,
        help_text=_("Où en est le projet."),
    )
    about = RichTextField(
        _("à propos du projet"), blank=True, features=LIST_FEATURES, help_text=_("Présentation libre.")
    )
    questions = StreamField(
        [("question", QuestionAnswerBlock())],
        verbose_name=_("questions"),
        blank=True,
        help_text=_("Les questions du répertoire auxquelles le projet a répondu."),
    )
    community = models.TextField(
        _("communauté du projet"),
        blank=True,
        max_length=600,
        help_text=_("Qui fait vivre le projet : membres, usagers, bénévoles."),
    )
    partners = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("partenaires"),
        blank=True,
        related_name="member_pages",
        help_text=_("Partenaires du projet, choisis parmi les partenaires enregistrés."),
    )

    promote_panels = PROMOTE_PANELS
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("tagline"), FieldPanel("logo"), FieldPanel("activity"), FieldPanel("maturity")],
            heading=_("Présentation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("website"),
            ],
            heading=_("Coordonnées"),
        ),
        FieldPanel("about"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [FieldPanel("community"), FieldPanel("partners", widget=forms.CheckboxSelectMultiple)],
            heading=_("Communauté et partenaires"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("tagline"),
        index.SearchField("city"),
        index.SearchField("activity"),
        index.SearchField("about"),
        index.SearchField("questions"),
    ]

    parent_page_types = ["home.MemberIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("membre ou projet")
        verbose_name_plural = _("membres et projets")


class FormField(AbstractFormField):
    """One field of the contact form, chosen by the editor."""

    page = ParentalKey("home.ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    """The contact form: its messages are e-mailed to the team and kept in the admin."""

    introduction = introduction_field(
        _("Quelques phrases au-dessus du formulaire : délai de réponse, autres moyens de nous joindre.")
    )
    thank_you_text = RichTextField(
        _("message de remerciement"),
        blank=True,
        features=INLINE_FEATURES,
        help_text=_("Affiché après l'envoi du formulaire."),
    )

    # Wagtail's own fields, re-declared only to explain them to editors in French.
    from_address = models.EmailField(
        _("adresse d'expédition"),
        max_length=255,
        blank=True,
        help_text=_("Adresse qui envoie les messages à l'équipe ; vide : l'adresse d'envoi par défaut du site."),
    )
    subject = models.CharField(
        _("objet de l'e-mail"),
        max_length=255,
        blank=True,
        help_text=_("Objet des e-mails reçus par l'équipe, pour les trier, par exemple « Contact site web »."),
    )

    form_builder = contact.ContactFormBuilder
    submissions_list_view_class = contact.ContactSubmissionsListView

    promote_panels = PROMOTE_PANELS
    content_panels = AbstractEmailForm.content_panels + [
        contact.ContactSubmissionsPanel(),
        FieldPanel("introduction"),
        InlinePanel("form_fields", label=_("Champs du formulaire")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail envoyé à l'équipe"),
        ),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("page de contact")
        permissions = [
            ("read_contact_messages", _("Lire, exporter et supprimer les messages du formulaire de contact"))
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["honeypot_field"] = contact.HONEYPOT_FIELD
        return context

    def serve(self, request, *args, **kwargs):
        """Wagtail's form flow, with the rate limits of ``home/contact.py`` around it."""
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        if contact.over_ip_limit(request):
            return self._rate_limited(request)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if form.is_valid():
            if not form.is_robot and contact.over_address_limit(request, form):
                return self._rate_limited(request)
            return self.render_landing_page(request, self.process_form_submission(form), *args, **kwargs)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)

    def _rate_limited(self, request):
        """429 with the form shown again, what was typed kept, nothing stored or mailed."""
        context = self.get_context(request)
        context["form"] = self.get_form(initial=contact.initial_from_post(request.POST), page=self, user=request.user)
        context["rate_limited"] = True
        return TemplateResponse(request, self.get_template(request), context, status=429)

    def send_mail(self, form):
        """A mail server failure must not lose the message: it stays in the admin's submissions."""
        try:
            super().send_mail(form)
        except Exception:
            logger.exception("Contact form e-mail could not be sent (page %s)", self.pk)

    def process_form_submission(self, form):
        """Drop robot submissions silently; never store or mail the honeypot or the start time."""
        if form.is_robot:
            return None
        form.cleaned_data = form.data_to_keep()
        return super().process_form_submission(form)


# --------------------------------------------------------------------------
# Site settings
# --------------------------------------------------------------------------


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, ClusterableModel):
    """Contact details, footer, legal pages and the main menu, shown on every page."""

    # Read with the settings in one query: the footer links and the default share image are on every page.
    select_related = ["legal_page", "privacy_page", "accessibility_page", "default_social_image", "map_image"]

    address = models.TextField(
        _("adresse"), blank=True, max_length=300, help_text=_("Adresse postale, sur plusieurs lignes.")
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Adresse de contact publique."))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True, help_text=_("Numéro affiché au public."))
    opening_hours = models.TextField(
        _("horaires d'ouverture"), blank=True, max_length=400, help_text=_("Par exemple « Du lundi au vendredi… ».")
    )
    footer_text = models.TextField(
        _("texte du pied de page"), blank=True, max_length=400, help_text=_("Une phrase de présentation.")
    )
    getting_here = models.TextField(
        _("venir en transports"),
        blank=True,
        max_length=600,
        help_text=_(
            "Tram, bus, vélo, voiture : une ligne par moyen, par exemple « Tram T1, arrêt… ». "
            "Affiché dans « Venir à La Coursive » sur la page de contact."
        ),
    )
    accessibility_info = models.TextField(
        _("accessibilité du lieu"),
        blank=True,
        max_length=600,
        help_text=_("Accès en fauteuil, ascenseur, boucle magnétique, qui prévenir pour un besoin particulier."),
    )
    map_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("plan d'accès"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Une image du plan (par exemple une capture d'OpenStreetMap, en citant « © les contributeurs "
            "d'OpenStreetMap »). Aucune carte n'est chargée depuis un autre site."
        ),
    )
    newsletter_url = models.URLField(
        _("lettre d'information"),
        blank=True,
        help_text=_(
            "Adresse de la page d'inscription à la lettre d'information ; le lien s'affiche si elle est remplie."
        ),
    )
    facebook_url = models.URLField(_("Facebook"), blank=True, help_text=_("Adresse de la page Facebook."))
    instagram_url = models.URLField(_("Instagram"), blank=True, help_text=_("Adresse du compte Instagram."))
    linkedin_url = models.URLField(_("LinkedIn"), blank=True, help_text=_("Adresse de la page LinkedIn."))
    mastodon_url = models.URLField(_("Mastodon"), blank=True, help_text=_("Adresse du compte Mastodon."))
    legal_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("mentions légales"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Page des mentions légales, liée dans le pied de page."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("politique de confidentialité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Page sur les données personnelles, liée dans le pied de page et les formulaires."),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("déclaration d'accessibilité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Page de la déclaration d'accessibilité, liée dans le pied de page."),
    )
    default_social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de partage par défaut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Utilisée sur les réseaux sociaux quand une page n'a pas d'image."),
    )
    signin_sheet_funders = ParentalManyToManyField(
        "home.Partner",
        verbose_name=_("financeurs des feuilles d'émargement"),
        blank=True,
        related_name="+",
        help_text=_(
            "Leurs logos s'impriment sur toutes les feuilles d'émargement, à côté des organisateurs et "
            "partenaires de l'événement : les financeurs demandent souvent de les voir sur les preuves de présence."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("email"), FieldPanel("phone"), FieldPanel("opening_hours")],
            heading=_("Coordonnées"),
        ),
        MultiFieldPanel(
            [FieldPanel("getting_here"), FieldPanel("accessibility_info"), FieldPanel("map_image")],
            heading=_("Venir à La Coursive"),
        ),
        InlinePanel("menu_items", heading=_("Menu principal"), label=_("entrée de menu")),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                PageChooserPanel("legal_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
            ],
            heading=_("Pied de page"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("mastodon_url"),
                FieldPanel("newsletter_url"),
                FieldPanel("default_social_image"),
            ],
            heading=_("Réseaux sociaux"),
        ),
        FieldPanel("signin_sheet_funders", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = _("réglages du site")

    @classmethod
    def for_site(cls, site):
        """Read once per generation while a page is served (``core/generation_memo.py``): every page shows them,
        and saving them moves the generation. Each caller gets its own copy."""
        if site is None:
            return super().for_site(site)
        kept = generation_memo.remember(("site-settings", site.pk), lambda: super(SiteSettings, cls).for_site(site))
        return copy.copy(kept)

    def openstreetmap_url(self):
        """A plain link to the address on OpenStreetMap: nothing is loaded from there until it is followed.

        Only the lines with a number (street, postcode and town) are searched: a name line would miss.
        """
        lines = [line.strip() for line in self.address.splitlines() if any(char.isdigit() for char in line)]
        return f"https://www.openstreetmap.org/search?query={quote(', '.join(lines))}" if lines else ""

    def social_links(self):
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("Mastodon", self.mastodon_url),
        ]
        return [(name, url) for name, url in links if url]


class MenuItem(Orderable):
    """An entry of the main menu; drag entries to reorder them."""

    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="menu_items")
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Page vers laquelle pointe l'entrée."),
    )
    label = models.CharField(
        _("libellé"), max_length=60, blank=True, help_text=_("Laisser vide pour utiliser le titre de la page.")
    )

    panels = [PageChooserPanel("link_page"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("entrée de menu")
        verbose_name_plural = _("entrées de menu")

    @property
    def text(self):
        return self.label or self.link_page.title
