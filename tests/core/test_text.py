"""The text normaliser: what people type reaches pages, mails, calendars and spreadsheets without hidden characters."""

import pytest

from core.text import clean_line, clean_text, has_control, has_invisible


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


def test_non_characters_and_lone_surrogates_are_dropped():
    """Nobody types them and XML (so XLSX) cannot hold them."""
    assert clean_line("A\ufffeB\uffff\ud800C\ufdd0") == "ABC"


def test_has_control_is_for_what_no_keyboard_types():
    for value in ("\x00", "a\x1bb", "\x7f", "\x9b", "\x0b"):
        assert has_control(value), repr(value)
    for value in ("Bonjour\tà\r\ntous", "\u202e", "café ☕", "", None):
        assert not has_control(value), repr(value)
