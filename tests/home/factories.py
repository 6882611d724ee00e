"""Factories for the association's pages and snippets."""

import datetime

import factory
import wagtail_factories
from wagtail.rich_text import RichText

from home.models import (
    ArticlePage,
    ContactPage,
    ContentPage,
    FormField,
    MemberIndexPage,
    MemberPage,
    NewsIndexPage,
    Partner,
    PartnerCategory,
    PartnerIndexPage,
)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Partenaire {n}")
    category = PartnerCategory.FUNDER
    logo = factory.SubFactory(ImageFactory)

    class Meta:
        model = Partner


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    introduction = "Un chapeau qui résume la page."
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"text": "Un intertitre de section"}),
            ("paragraph", RichText("<p>Un paragraphe de contenu.</p>")),
        ]
    )

    class Meta:
        model = ContentPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Actualités"
    slug = "actualites"

    class Meta:
        model = NewsIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    author = "L'équipe"
    summary = "Le résumé de l'article."

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def tag_names(obj, create, extracted, **kwargs):
        if extracted:
            obj.tags.add(*extracted)
            if create:
                obj.save()


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    title = "Partenaires"
    slug = "partenaires"

    class Meta:
        model = PartnerIndexPage


class MemberIndexPageFactory(wagtail_factories.PageFactory):
    title = "Membres et projets"
    slug = "membres"

    class Meta:
        model = MemberIndexPage


class MemberPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Structure {n}")
    city = "Dijon"
    address = "33 place Galilée"
    postcode = "21000"
    website = "https://example.org/"
    activity = "Coworking"

    class Meta:
        model = MemberPage


class ContactPageFactory(wagtail_factories.PageFactory):
    title = "Contact"
    slug = "contact"
    to_address = "equipe@example.org"
    from_address = "site@example.org"
    subject = "Message du site"
    thank_you_text = "<p>Merci pour votre message.</p>"

    class Meta:
        model = ContactPage
        skip_postgeneration_save = True

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, (label, kind) in enumerate([("Nom", "singleline"), ("E-mail", "email"), ("Message", "multiline")]):
            FormField.objects.create(page=obj, label=label, field_type=kind, required=True, sort_order=order)
