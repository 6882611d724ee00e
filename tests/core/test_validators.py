"""The one e-mail rule: addresses a mail server delivers to, with nothing hidden in them."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import normalize_email, validate_deliverable_email


@pytest.mark.parametrize(
    "address",
    [
        "camille@example.org",
        "camille.martin+ateliers@mairie-dijon.fr",
        "o'neil@example.co.uk",
        "contact@xn--exemple-9ua.fr",
        "contact@exemplé.fr",  # an internationalised domain is fine
    ],
)
def test_deliverable_addresses_pass(address):
    validate_deliverable_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "a@[127.0.0.1]",  # IP literal
        "a@[IPv6:::1]",
        "a@10.0.0.1",  # a bare IP address
        "a@localhost",  # no dot: Django allows it
        "a@intranet",
        "a@\u202eexample.org",  # bidi override: later crashed the mail worker
        "a\u200b@example.org",  # zero-width space
        "a@exa\u00admple.org",  # soft hyphen
        '"a\x01"@example.org',  # control character in a quoted local part (Django allows it)
        '"camille martin"@example.org',  # quoted local part
        "camille@example.org\n",
        "cam ille@example.org",
        "camille@",
        "@example.org",
        "pas-une-adresse",
        "",
    ],
)
def test_undeliverable_or_hiding_addresses_are_refused_in_french(address):
    with pytest.raises(ValidationError) as refused:
        validate_deliverable_email(address)
    assert refused.value.messages == ["Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."]


def test_normalize_email_trims_and_lowers_the_domain():
    assert normalize_email("  Camille.Martin@Example.ORG ") == "Camille.Martin@example.org"
    assert normalize_email("") == ""
    assert normalize_email(None) == ""
