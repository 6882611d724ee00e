"""Form fields clean what people type before checking it, so the value checked is the value stored."""

from django import forms
from django.db import models

from core.forms import CleanLineField, CleanTextField, DeliverableEmailField, clean_formfield


class PersonForm(forms.Form):
    name = CleanLineField(max_length=10)
    note = CleanTextField(required=False)
    email = DeliverableEmailField(required=False)


def test_single_line_fields_collapse_breaks_and_drop_hidden_characters():
    form = PersonForm({"name": " Zoé\r\n\u202eMartin\x00 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Zoé Martin"


def test_nothing_visible_counts_as_empty():
    form = PersonForm({"name": "\u200b\u200b\x1b\u202e"})
    assert not form.is_valid()
    assert form.errors["name"] == ["Champ requis."]


def test_length_is_checked_on_the_cleaned_value():
    form = PersonForm({"name": "Zoé" + "\u200b" * 50})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Zoé"


def test_multi_line_fields_keep_line_breaks():
    form = PersonForm({"name": "Zoé", "note": "Bonjour,\r\n\r\nà demain\x0bZoé\u200b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "Bonjour,\n\nà demain\nZoé"


def test_email_field_refuses_hidden_characters_and_lowers_the_domain():
    assert not PersonForm({"name": "Zoé", "email": "zoe@\u202eexample.org"}).is_valid()
    assert not PersonForm({"name": "Zoé", "email": "zoe@localhost"}).is_valid()
    form = PersonForm({"name": "Zoé", "email": " Zoe@Example.ORG "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "Zoe@example.org"


def test_model_forms_get_the_cleaning_fields_but_choices_keep_theirs():
    assert isinstance(clean_formfield(models.CharField(max_length=10)), CleanLineField)
    assert isinstance(clean_formfield(models.TextField()), CleanTextField)
    assert isinstance(clean_formfield(models.EmailField()), DeliverableEmailField)
    assert isinstance(clean_formfield(models.CharField(max_length=1, choices=[("a", "A")])), forms.TypedChoiceField)
    assert isinstance(clean_formfield(models.SlugField()), forms.SlugField)
