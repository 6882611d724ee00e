"""Form fields that clean what people type before it is validated (``core.text``, ``core.validators``).

The cleaning runs in ``to_python``, before the length limit, the "required"
check and any ``clean_<field>`` method, so a name made only of zero-width
spaces is as empty as a blank one and the value checked is the value stored.

``clean_formfield`` is the ``formfield_callback`` for model forms (staff
editing a registration); Wagtail's editor forms get the same fields from
``TEXT_FORM_FIELDS`` (registered in ``home/apps.py``).
"""

from django import forms
from django.db import models

from core.text import clean_line, clean_text
from core.validators import normalize_email, validate_deliverable_email


class CleanLineField(forms.CharField):
    """One line of text: line breaks, controls, bidi and zero-width characters out (``clean_line``)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in self.empty_values else clean_line(value)


class CleanTextField(forms.CharField):
    """Multi-line text: line breaks kept, controls, bidi and zero-width characters out (``clean_text``)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in self.empty_values else clean_text(value)


class DeliverableEmailField(forms.EmailField):
    """An address a mail server will deliver to: refused if it hides characters, the domain lower-cased."""

    default_validators = [validate_deliverable_email]

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in self.empty_values else normalize_email(value)


# The model fields people type into, by exact class: a subclass such as Wagtail's
# ``RichTextField`` (HTML) or Django's ``SlugField`` keeps its own form field.
TEXT_FORM_FIELDS = {
    models.CharField: CleanLineField,
    models.TextField: CleanTextField,
    models.EmailField: DeliverableEmailField,
}


def clean_formfield(db_field, **kwargs):
    """``formfield_callback`` of a ``ModelForm``: typed text goes through the cleaning fields."""
    form_class = TEXT_FORM_FIELDS.get(type(db_field))
    if form_class is not None and not db_field.choices:
        kwargs.setdefault("form_class", form_class)
    return db_field.formfield(**kwargs)
