"""The page tree rules: each page type only where it belongs, creatable in the admin."""

from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage
from home.models import (
    ArticlePage,
    ContactPage,
    ContentPage,
    HomePage,
    MemberIndexPage,
    MemberPage,
    NewsIndexPage,
    PartnerIndexPage,
)
from tests.home.factories import (
    ArticlePageFactory,
    ContactPageFactory,
    ContentPageFactory,
    MemberIndexPageFactory,
    MemberPageFactory,
    NewsIndexPageFactory,
    PartnerIndexPageFactory,
)


class PageTreeTests(WagtailPageTestCase):
    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {ContentPage, NewsIndexPage, PartnerIndexPage, MemberIndexPage, ContactPage, EventIndexPage},
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_content_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})

    def test_articles_only_in_the_news(self):
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage})
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(ContentPage, ArticlePage)

    def test_members_only_in_the_directory(self):
        self.assertAllowedParentPageTypes(MemberPage, {MemberIndexPage})
        self.assertCanNotCreateAt(HomePage, MemberPage)

    def test_listing_pages_hang_from_home(self):
        for model in (NewsIndexPage, PartnerIndexPage, MemberIndexPage, ContactPage):
            self.assertAllowedParentPageTypes(model, {HomePage})
            self.assertCanNotCreateAt(ContentPage, model)

    def test_leaf_pages_have_no_children(self):
        for model in (ArticlePage, MemberPage, PartnerIndexPage, ContactPage):
            self.assertAllowedSubpageTypes(model, set())


class AdminCreationTests(WagtailPageTestCase):
    """Editors can create each page type through the admin form with its expected parent."""

    def setUp(self):
        self.home = HomePage.objects.first() or Page.get_first_root_node().add_child(
            instance=HomePage(title="Accueil", slug="accueil")
        )
        user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pass")
        self.client.force_login(user)

    def test_only_one_home_page(self):
        assert not HomePage.can_create_at(Page.get_first_root_node())

    def test_create_content_page(self):
        self.assertCanCreate(
            self.home,
            ContentPage,
            nested_form_data(
                {
                    "title": "Le lieu",
                    "slug": "le-lieu",
                    "introduction": "500 m² ouverts.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Un lieu ouvert"}),
                            ("paragraph", rich_text("<p>Coworking et bureaux.</p>")),
                            ("quote", {"quote": "Coopérer.", "attribution": "Nous"}),
                        ]
                    ),
                }
            ),
        )

    def test_create_news_index_and_article(self):
        self.assertCanCreate(
            self.home,
            NewsIndexPage,
            nested_form_data(
                {"title": "Actualités", "slug": "actualites", "introduction": rich_text(""), "per_page": 9}
            ),
        )
        news = NewsIndexPage.objects.get()
        self.assertCanCreate(
            news,
            ArticlePage,
            nested_form_data(
                {
                    "title": "Un article",
                    "slug": "un-article",
                    "date": "2024-06-03",
                    "author": "L'équipe",
                    "summary": "Résumé",
                    "body": streamfield([("paragraph", rich_text("<p>Texte</p>"))]),
                    "tags": "Coopérer, Lieu",
                }
            ),
        )
        article = ArticlePage.objects.get()
        assert sorted(t.name for t in article.tags.all()) == ["Coopérer", "Lieu"]

    def test_create_partner_index(self):
        self.assertCanCreate(
            self.home,
            PartnerIndexPage,
            nested_form_data({"title": "Partenaires", "slug": "partenaires", "introduction": rich_text("")}),
        )

    def test_create_member_index_and_member(self):
        self.assertCanCreate(
            self.home,
            MemberIndexPage,
            nested_form_data({"title": "Membres", "slug": "membres", "introduction": rich_text("")}),
        )
        index = MemberIndexPage.objects.get()
        self.assertCanCreate(
            index,
            MemberPage,
            nested_form_data(
                {
                    "title": "La Bo[a]te",
                    "slug": "la-boate",
                    "city": "Marseille",
                    "country": "France",
                    "maturity": "mature",
                    "about": rich_text("<p>Coworking.</p>"),
                    "questions": streamfield(
                        [("question", {"question": "Modèle ?", "answer": rich_text("<p>Location.</p>")})]
                    ),
                }
            ),
        )

    def test_create_contact_page(self):
        self.assertCanCreate(
            self.home,
            ContactPage,
            nested_form_data(
                {
                    "title": "Contact",
                    "slug": "contact",
                    "introduction": rich_text(""),
                    "thank_you_text": rich_text("<p>Merci</p>"),
                    "to_address": "equipe@example.org",
                    "from_address": "site@example.org",
                    "subject": "Message",
                    "form_fields": inline_formset(
                        [
                            {
                                "label": "Nom",
                                "field_type": "singleline",
                                "required": "on",
                                "choices": "",
                                "default_value": "",
                                "help_text": "",
                            }
                        ]
                    ),
                }
            ),
        )
        assert ContactPage.objects.get().form_fields.count() == 1

    def test_existing_pages_are_editable(self):
        """Editor forms round-trip; pages with StreamFields (posted in the creation tests) open in the editor."""
        news = NewsIndexPageFactory(parent=self.home)
        members = MemberIndexPageFactory(parent=self.home)
        for page in [news, members, PartnerIndexPageFactory(parent=self.home), ContactPageFactory(parent=self.home)]:
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsEditable(page)
        self.client.force_login(get_user_model().objects.get(username="admin"))
        stream_pages = [
            self.home,
            ContentPageFactory(parent=self.home),
            ArticlePageFactory(parent=news, tag_names=["Coopérer"]),
            MemberPageFactory(parent=members),
        ]
        for page in stream_pages:
            with self.subTest(page=page.specific_class.__name__):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, page.title)
