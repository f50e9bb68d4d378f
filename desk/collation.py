"""Names in Vietnamese alphabetical order, in SQL and in Python alike.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z, in
foreign names, in their Latin places): "Đ…" comes after every "D…", "Ă…" after every "A…".
Tones count only between names equal letter for letter, in the dictionary order: none,
grave, hook, tilde, acute, dot below (a à ả ã á ạ); then lower case before upper case. This
is the order of ICU's Vietnamese collation, but the embedded PostgreSQL (`make run`, and
tests without DATABASE_URL) is built without ICU, so the order is computed from the text:
``translate()`` turns each letter into a sort key character, and the keys compare byte by
byte (collation "C"), the same on every PostgreSQL build. Spaces, punctuation and digits
keep their own code points, all below the letters' keys, so they sort first (as in ICU).
"""

from __future__ import annotations

import unicodedata

from django.db.models import F, Func, OrderBy, TextField, Value
from django.db.models.functions import Collate

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
VOWELS = set("aăâeêioôơuưy")
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
FIRST_KEY = 0xE000  # private-use code points: above every character a name may contain


def _tables() -> tuple[str, str, str, str]:
    """Every letter (each tone, both cases) and, for each, its letter, tone and case keys."""
    letters, primary, tone, case = [], [], [], []
    for rank, base in enumerate(ALPHABET):
        for tone_rank, mark in enumerate(TONE_MARKS if base in VOWELS else ("",)):
            lower = unicodedata.normalize("NFC", base + mark)
            for case_rank, char in enumerate((lower, lower.upper())):
                letters.append(char)
                primary.append(chr(FIRST_KEY + rank))
                tone.append(str(tone_rank))
                case.append(str(case_rank))
    return "".join(letters), "".join(primary), "".join(tone), "".join(case)


LETTERS, LETTER_KEYS, TONE_KEYS, CASE_KEYS = _tables()
_TO_KEYS = [str.maketrans(LETTERS, keys) for keys in (LETTER_KEYS, TONE_KEYS, CASE_KEYS)]


def vietnamese_key(text: str) -> tuple[str, str, str]:
    """Sort key of ``text`` in Python: ``sorted(names, key=vietnamese_key)``."""
    composed = unicodedata.normalize("NFC", text)
    return tuple(composed.translate(table) for table in _TO_KEYS)  # type: ignore[return-value]


def vietnamese_order(field: str, *, descending: bool = False) -> list[OrderBy]:
    """``order_by(*vietnamese_order("name"), "unit_code")``: the same order in SQL."""
    composed = Func(F(field), template="normalize(%(expressions)s, NFC)", output_field=TextField())
    keys = [
        Collate(
            Func(
                composed,
                Value(LETTERS),
                Value(keys),
                function="translate",
                output_field=TextField(),
            ),
            "C",
        )
        for keys in (LETTER_KEYS, TONE_KEYS, CASE_KEYS)
    ]
    return [key.desc() if descending else key.asc() for key in keys]
