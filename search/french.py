"""French-aware search terms and highlighting, the same on SQLite and PostgreSQL.

The embedded default (SQLite FTS5) folds accents but knows no French grammar, and
PostgreSQL's "french" configuration stems but keeps accents. So the query sent to
either is built here from the visitor's words: hyphens and elisions split them
("tiers-lieu" → "tiers", "lieu"; "l'atelier" → "atelier"), small words are left out,
and each word may match its plural or singular ("lieu" → "lieux", "réseaux" →
"réseau"). PostgreSQL also gets an accent-folding configuration
(search/migrations/0001), so "cooperation" finds "coopération" on both.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.search.query import And, Or, PlainText

WORD = re.compile(r"\w+", re.UNICODE)
ELISION = re.compile(r"^(?:[ldjmtsnc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
# Words that carry no meaning alone: required by an AND on SQLite, they would hide results.
STOP_WORDS = {
    "a", "à", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "la", "le", "les",
    "leur", "leurs", "ou", "où", "par", "pour", "sur", "un", "une", "d", "l", "qu",
}  # fmt: skip


def fold(text):
    """Lower case without accents, one character for one ("Coopération" → "cooperation").

    Keeping the length lets a match found in the folded text be marked in the original.
    """
    return "".join(unicodedata.normalize("NFD", char)[0] for char in text.lower())


def words(query):
    """The meaningful words of a query, in order, without duplicates."""
    found = []
    for raw in re.split(r"[\s\-‐–—/]+", query):
        raw = ELISION.sub("", raw.strip("'’"))
        for word in WORD.findall(raw):
            if word.lower() not in found:
                found.append(word.lower())
    meaningful = [word for word in found if word not in STOP_WORDS]
    return meaningful or found


def variants(word):
    """The word with its French plural or singular: "lieu" → lieux, "réseaux" → réseau, "travaux" → travail."""
    forms = [word]
    if len(word) < 3:
        return forms
    if word.endswith("aux"):
        forms += [word[:-3] + "al", word[:-3] + "ail", word[:-1]]
    elif word.endswith("x") and word[-3:-1] in ("au", "eu", "ou") or word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
    elif word.endswith("al"):
        forms += [word + "s", word[:-2] + "aux"]
    elif word.endswith(("au", "eu", "ou")):
        forms += [word + "x", word + "s"]
    elif not word.endswith(("x", "z")):
        forms.append(word + "s")
    return list(dict.fromkeys(forms))


def search_query(query):
    """Every word (or one of its forms) must appear: And(Or(forms of word 1), Or(forms of word 2), …)."""
    clauses = []
    for word in words(query):
        forms = [PlainText(form) for form in variants(word)]
        clauses.append(forms[0] if len(forms) == 1 else Or(forms))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else And(clauses)


def _roots(query):
    """What a word of the text must start with to be marked: each word without its plural ending."""
    roots = set()
    for word in words(query):
        for form in variants(fold(word)):
            roots.add(form[:-1] if len(form) > 4 and form[-1] in "sx" else form)
    return roots


def highlight(text, query, length=32):
    """An excerpt of about ``length`` words around the first match, the matched words in <mark>.

    Returns safe HTML (the text is escaped), or "" for no text.
    """
    if not text:
        return ""
    roots = _roots(query)
    tokens = list(WORD.finditer(text))
    folded = fold(text)
    marked = [token for token in tokens if any(folded[token.start() : token.end()].startswith(root) for root in roots)]
    first = tokens.index(marked[0]) if marked else 0
    start_token = max(0, first - length // 4)
    window = tokens[start_token : start_token + length]
    if not window:
        return ""
    begin, end = window[0].start(), window[-1].end()
    marked_set = {token.start() for token in marked}
    parts, position = [], begin
    for token in window:
        if token.start() in marked_set:
            parts.append(escape(text[position : token.start()]))
            parts.append(f"<mark>{escape(token.group())}</mark>")
            position = token.end()
    parts.append(escape(text[position:end]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text.rstrip(" .")) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece of text is escaped above
