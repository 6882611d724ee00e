r"""The one normaliser for text people type: visitors, staff and editors alike.

Names, organisations, answers, titles and subjects end up in pages, e-mail
headers, calendar files, spreadsheets and the admin. Characters that nobody
means to type there do harm in each: a line break in a subject makes the mail
library refuse the message, a bidi override (``\u202e``) shows "gpj.exe" as
"exe.jpg" in the admin, zero-width characters make two equal names differ and
can hide a leading ``=`` from formula checks, and NUL is refused by PostgreSQL.

``clean_line`` is for single-line fields (a name, a title, a subject): every
kind of line break or tab becomes a space and runs of spaces collapse to one.
``clean_text`` is for multi-line fields (a message, a long answer): line
breaks are kept as ``\n``. Both drop C0 and C1 control characters, DEL, bidi
controls and zero-width characters, and compose accents (NFC), so "é" typed
as "e" + combining accent is stored as one character.
"""

import re
import unicodedata

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls.
CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Lone surrogates and non-characters: no text holds them, XML (hence XLSX) refuses them.
NONCHARACTER = "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
# Bidi embedding, override and isolate controls, and the implicit marks.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Zero-width space, non-joiner, joiner, word joiner, invisible operators, byte-order mark, soft hyphen.
ZERO_WIDTH = "\u00ad\u200b-\u200d\u2060-\u2064\ufeff"
INVISIBLE = re.compile(f"[{CONTROL}{NONCHARACTER}{BIDI}{ZERO_WIDTH}]")
CONTROL_CHARACTER = re.compile(f"[{CONTROL}]")
# Line and paragraph separators, vertical tab and form feed count as line breaks.
LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _drop_invisible(value):
    return INVISIBLE.sub("", unicodedata.normalize("NFC", value))


def clean_line(value):
    """One line of visible text: line breaks and tabs become spaces, spaces collapse, ends trimmed."""
    if value is None:
        return ""
    value = LINE_BREAK.sub(" ", str(value))
    return SPACES.sub(" ", _drop_invisible(value)).strip()


def clean_text(value):
    """Multi-line visible text: line breaks kept as ``\\n``, trailing spaces of each line and blank ends trimmed."""
    if value is None:
        return ""
    value = LINE_BREAK.sub("\n", str(value))
    value = _drop_invisible(value).replace("\t", " ")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip("\n").strip()


def has_control(value):
    """True when the text holds a C0/C1 control character other than tab and line breaks (NUL, ESC, DEL…).

    What no keyboard types: a request carrying one in its address is refused (``config/input_guard.py``).
    """
    return bool(CONTROL_CHARACTER.search(value or ""))


def has_invisible(value):
    """True when the text holds a character ``clean_line``/``clean_text`` would drop (to refuse rather than fix)."""
    return bool(INVISIBLE.search(value or ""))
