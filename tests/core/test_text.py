"""The text normaliser: what people type reaches pages, mails, calendars and spreadsheets without hidden characters."""

import pytest

from core.text import clean_line, clean_text, has_invisible


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Camille\r\nMartin", "Camille Martin"),
        ("  Tiers-lieux\tet   institutions  ", "Tiers-lieux et institutions"),
        ("Zoé\u202e gpj.exe", "Zoé gpj.exe"),  # bidi override
        ("=\u200b1+1", "=1+1"),  # zero-width space hiding a formula
        ("Nguy\u1ec5n\x00\x1b[31m", "Nguyễn[31m"),  # NUL and ESC
        ("e\u0301lodie", "élodie"),  # combining accent composed
        ("Line\u2028separator", "Line separator"),
        ("\x7fDEL\x85C1", "DEL C1"),
        (None, ""),
    ],
)
def test_clean_line(typed, stored):
    assert clean_line(typed) == stored


def test_clean_text_keeps_line_breaks_and_drops_the_rest():
    assert clean_text("Bonjour,\r\n\r\nmerci\u200b !  \nÀ bientôt\x0bCamille\u202e") == (
        "Bonjour,\n\nmerci !\nÀ bientôt\nCamille"
    )


def test_has_invisible_tells_what_would_be_dropped():
    assert has_invisible("a@\u202eexample.org")
    assert not has_invisible("camille@example.org")
