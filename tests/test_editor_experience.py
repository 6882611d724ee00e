"""Editors first: what a non-technical editor sees in the admin is French and explained.

These tests walk the real edit handlers (the panels Wagtail renders), so a field
added to a panel without a French label or a help text fails here, not in a
support call.
"""

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, get_edit_handler
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from home.blocks import BodyBlock
from home.models import SiteSettings
from registrations.models import RegistrationQuestion, RegistrationSettings

OWNED_APPS = ("home", "events")

# Wagtail's own page fields: labelled and explained by Wagtail itself.
WAGTAIL_PAGE_FIELDS = {"title", "slug", "seo_title", "search_description", "go_live_at", "expire_at", "show_in_menus"}

# Fields an editor understands without a help text, with the reason why.
SELF_EXPLANATORY = {
    # Wagtail's form builder: its own fields, labelled and documented by Wagtail.
    ("FormField", "label"): "champ du constructeur de formulaires de Wagtail",
    ("FormField", "field_type"): "champ du constructeur de formulaires de Wagtail",
    ("FormField", "required"): "champ du constructeur de formulaires de Wagtail",
    ("FormField", "choices"): "champ du constructeur de formulaires de Wagtail",
    ("FormField", "default_value"): "champ du constructeur de formulaires de Wagtail",
    ("FormField", "help_text"): "champ du constructeur de formulaires de Wagtail",
    ("ContactPage", "to_address"): "champ du constructeur de formulaires de Wagtail",
}

# French words that are spelt like the attribute name (so the check against the
# auto-generated English label would wrongly flag them).
SAME_WORD_IN_FRENCH = {"introduction", "image", "latitude", "longitude", "logo", "questions"}

# Fields of registrations/ still without a French help text (none today). The
# test fails if a new gap appears, so the set can only stay empty.
KNOWN_REGISTRATIONS_GAPS: set[tuple[str, str]] = set()


def _field_panels(panel, model):
    """Yield (model, field name) for every FieldPanel under ``panel``, inline panels included."""
    if isinstance(panel, InlinePanel):
        child = panel.child_edit_handler
        yield from _field_panels(child, child.model)
        return
    if isinstance(panel, FieldPanel):
        yield model, panel.field_name
    for child in getattr(panel, "children", None) or []:
        yield from _field_panels(child, model)


def _edit_handler(model):
    if issubclass(model, Page):
        return model.get_edit_handler()
    return get_edit_handler(model)


def _editable_models():
    """Page, snippet and settings models of the apps this test covers."""
    from wagtail.snippets.models import get_snippet_models

    snippets = set(get_snippet_models())
    for model in apps.get_models():
        if model._meta.app_label not in OWNED_APPS:
            continue
        if issubclass(model, Page) or model in snippets or model is SiteSettings:
            yield model


def _form_only_field(owner, name):
    """A field the editor form declares without a model field behind it (a confirmation box), or None."""
    form_class = getattr(owner, "base_form_class", None)
    return getattr(form_class, "declared_fields", {}).get(name) if form_class else None


def _editor_fields():
    seen = set()
    for model in _editable_models():
        for owner, name in _field_panels(_edit_handler(model), model):
            if _form_only_field(owner, name) is not None:
                continue  # checked by test_form_only_fields_are_french_and_explained
            field = owner._meta.get_field(name)
            if (owner, name) in seen or (field.model is Page and name in WAGTAIL_PAGE_FIELDS):
                continue
            if field.model is Page:
                continue  # Wagtail's own settings fields (privacy, comments...).
            seen.add((owner, name))
            yield owner, field


def _gap(field):
    """Return why ``field`` would puzzle an editor, or ``None``."""
    with translation.override("fr"):
        label = str(field.verbose_name)
    if not isinstance(field.verbose_name, Promise):
        return "libellé non traduisible (pas de gettext_lazy)"
    if label == field.name.replace("_", " ") and field.name not in SAME_WORD_IN_FRENCH:
        return f"libellé anglais généré automatiquement : {label!r}"
    if not str(getattr(field, "help_text", "") or "").strip():
        return "texte d'aide vide"
    return None


def _is_registrations_field(owner, field):
    if owner is RegistrationQuestion:
        return True
    return any(f.name == field.name for f in RegistrationSettings._meta.get_fields())


def _gaps(registrations):
    found = {}
    for owner, field in _editor_fields():
        if _is_registrations_field(owner, field) != registrations:
            continue
        if (owner.__name__, field.name) in SELF_EXPLANATORY:
            continue
        reason = _gap(field)
        if reason:
            found[(owner.__name__, field.name)] = reason
    return found


def test_the_walker_sees_the_fields_editors_see():
    """Guard against a walker that finds nothing (and so can never fail)."""
    names = {(owner.__name__, field.name) for owner, field in _editor_fields()}
    assert ("EventPage", "start") in names  # in a row of a multi-field panel of a tab: nested panels
    assert ("EventPartner", "role") in names  # inline panel children
    assert ("RegistrationQuestion", "label") in names
    assert ("EventPage", "capacity") in names
    assert any(owner == "SiteSettings" for owner, _name in names)
    assert any(owner == "Venue" for owner, _name in names)


def test_form_only_fields_are_french_and_explained():
    found = []
    for model in _editable_models():
        for owner, name in _field_panels(_edit_handler(model), model):
            field = _form_only_field(owner, name)
            if field is not None:
                found.append(name)
                assert isinstance(field.label, Promise), f"{name}: libellé non traduisible"
                assert str(field.help_text).strip(), f"{name}: texte d'aide vide"
    assert "confirm_notification" in found  # the walker reaches them


def test_every_field_in_home_and_events_is_french_and_explained():
    assert _gaps(registrations=False) == {}


def test_registrations_fields_have_no_new_gaps():
    """registrations/ is another team's: only known gaps are tolerated (listed in the report)."""
    gaps = set(_gaps(registrations=True))
    assert gaps <= KNOWN_REGISTRATIONS_GAPS, sorted(gaps - KNOWN_REGISTRATIONS_GAPS)


def test_the_allow_list_only_names_fields_editors_really_see():
    names = {(owner.__name__, field.name) for owner, field in _editor_fields()}
    assert set(SELF_EXPLANATORY) <= names


# --- StreamField blocks --------------------------------------------------------------------------


def _all_blocks(block, path="body"):
    yield path, block
    if isinstance(block, ImageBlock):
        return  # Wagtail's own image + alt text block, labelled by Wagtail.
    children = getattr(block, "child_blocks", None)
    if children:
        for name, child in children.items():
            yield from _all_blocks(child, f"{path}.{name}")
    child = getattr(block, "child_block", None)
    if child is not None:
        yield from _all_blocks(child, f"{path}[]")


def _body_blocks():
    """The blocks an editor picks from the body's menu, each with its path."""
    return list(BodyBlock().child_blocks.items())


@pytest.mark.parametrize(("name", "block"), _body_blocks(), ids=[name for name, _b in _body_blocks()])
def test_every_body_block_has_french_label_icon_and_template(name, block):
    with translation.override("fr"):
        label = str(block.label)
    assert isinstance(block.meta.label, Promise), f"{name}: label non traduisible"
    assert label, f"{name}: pas de libellé"
    assert label.lower() != name.replace("_", " ") or name in SAME_WORD_IN_FRENCH, f"{name}: libellé {label!r}"
    assert block.meta.icon and block.meta.icon != "placeholder", f"{name}: pas d'icône"
    assert block.meta.template, f"{name}: pas de gabarit"


def test_nested_struct_blocks_have_french_labels():
    """Fields inside a block (title, image, link...) are labelled in French too."""
    problems = []
    for path, block in _all_blocks(BodyBlock()):
        if path == "body" or isinstance(block, blocks.StreamBlock):
            continue
        label = block.meta.label
        if not isinstance(label, Promise):
            problems.append(path)
    assert problems == []


# --- The page tree -------------------------------------------------------------------------------

INTENDED_TREE = {
    # model: (allowed parents, allowed children)
    "home.HomePage": ({"wagtailcore.Page"}, None),
    "home.ContentPage": ({"home.HomePage", "home.ContentPage"}, {"home.ContentPage"}),
    "home.NewsIndexPage": ({"home.HomePage"}, {"home.ArticlePage"}),
    "home.ArticlePage": ({"home.NewsIndexPage"}, set()),
    "home.PartnerIndexPage": ({"home.HomePage"}, set()),
    "home.MemberIndexPage": ({"home.HomePage"}, {"home.MemberPage"}),
    "home.MemberPage": ({"home.MemberIndexPage"}, set()),
    "home.ContactPage": ({"home.HomePage"}, set()),
    "events.EventIndexPage": ({"home.HomePage"}, {"events.EventPage"}),
    "events.EventPage": ({"events.EventIndexPage"}, set()),
}


def _label(model):
    return f"{model._meta.app_label}.{model.__name__}"


@pytest.mark.parametrize("model_label", sorted(INTENDED_TREE))
def test_page_type_sits_where_it_belongs(model_label):
    model = apps.get_model(model_label)
    parents, children = INTENDED_TREE[model_label]
    assert {_label(m) for m in model.allowed_parent_page_models()} == parents
    if children is not None:
        assert {_label(m) for m in model.allowed_subpage_models()} == children


def test_every_page_model_of_the_site_is_in_the_intended_tree():
    page_models = {_label(m) for m in apps.get_models() if issubclass(m, Page) and m._meta.app_label in OWNED_APPS}
    assert page_models == set(INTENDED_TREE)


def test_home_page_accepts_every_section_as_child():
    home = apps.get_model("home.HomePage")
    children = {_label(m) for m in home.allowed_subpage_models()}
    assert children == {
        "home.ContentPage",
        "home.NewsIndexPage",
        "home.PartnerIndexPage",
        "home.MemberIndexPage",
        "home.ContactPage",
        "events.EventIndexPage",
    }


@pytest.mark.django_db
def test_only_one_agenda_per_site(home_page):
    from events.models import EventIndexPage
    from tests.events.factories import EventIndexPageFactory

    assert EventIndexPage.can_create_at(home_page)
    EventIndexPageFactory(parent=home_page)
    home_page.refresh_from_db()
    assert not EventIndexPage.can_create_at(home_page)


# --- What editors type is cleaned ----------------------------------------------------------------

# Short enough for the shortest field (a postcode holds 10 characters).
TYPED_TEXT = {models.CharField: ("Ô\r\n\u202eé\x00", "Ô é"), models.TextField: ("Ô\r\n\u200bé\x1b", "Ô\né")}


def _form_fields(form_class, model):
    """(model, name, form field) of a Wagtail editor form and of its inline panels' forms."""
    for name, form_field in form_class.base_fields.items():
        yield model, name, form_field
    for formset in getattr(form_class, "formsets", {}).values():
        yield from _form_fields(formset.form, formset.model)


def _typed_text_fields():
    for model in _editable_models():
        for owner, name, form_field in _form_fields(_edit_handler(model).get_form_class(), model):
            try:
                db_field = owner._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            ours = owner._meta.app_label in (*OWNED_APPS, "registrations") or db_field.model is Page
            if ours and type(db_field) in TYPED_TEXT and not db_field.choices:
                yield owner, db_field, form_field


def test_every_text_editors_type_is_cleaned_like_visitors_input():
    """Titles, names, summaries…: line breaks (single-line fields), controls, bidi and zero-width out.

    A title with a line break made the event's .ics answer 500 and its e-mails fail.
    """
    checked, raw = set(), []
    for owner, db_field, form_field in _typed_text_fields():
        typed, stored = TYPED_TEXT[type(db_field)]
        checked.add((owner.__name__, db_field.name))
        if form_field.clean(typed) != stored:
            raw.append((owner.__name__, db_field.name))
    assert {
        ("EventPage", "title"),
        ("EventPage", "summary"),
        ("EventPage", "access_and_price"),
        ("RegistrationQuestion", "label"),
        ("Venue", "name"),
        ("EventCategory", "name"),
        ("Partner", "name"),
        ("HomePage", "title"),
        ("ArticlePage", "author"),
        ("MenuItem", "label"),
        ("SiteSettings", "address"),
    } <= checked
    assert raw == []
