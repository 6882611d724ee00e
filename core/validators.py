r"""The one rule for e-mail addresses people give us: deliverable-looking, nothing hidden.

Django's ``validate_email`` accepts what a mail server would not deliver to, or
what would later break the message: ``a@localhost`` (it allows that name),
``a@[127.0.0.1]`` and ``a@10.0.0.1`` (IP addresses), control characters
inside a quoted local part, and bidi or zero-width characters in an
internationalised domain (``a@\u202eexample.org`` passes, and the mail library
refuses it when the message is sent). The public form, the staff forms and
``services.register`` all use ``validate_deliverable_email``, so an address is
refused the same way whoever types it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from core.text import has_invisible

INVALID_EMAIL = _("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.")

_django_email = EmailValidator(message=INVALID_EMAIL, allowlist=[])


def normalize_email(value):
    """One spelling per address: surrounding spaces removed, the domain in lower case."""
    value = (value or "").strip()
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


def validate_deliverable_email(value):
    """Refuse, in French, an address a mail server would not deliver to or that hides characters."""
    value = value or ""
    local, _at, domain = value.rpartition("@")
    if (
        has_invisible(value)
        or any(char.isspace() for char in value)
        or local.startswith('"')  # a quoted local part: legal, never typed by the people we write to
        or domain.startswith("[")  # an IP literal
        or "." not in domain
        or not any(char.isalpha() for char in domain.rsplit(".", 1)[-1])  # 10.0.0.1: an IP address
    ):
        raise ValidationError(INVALID_EMAIL, code="invalid")
    _django_email(value)
