"""What an input may hold on its way to PostgreSQL and BRG's forms (money: ``amounts``).

- Texts: XML 1.0's ``Char``, the strictest place our texts go. It excludes NUL and the other
  C0 control characters but tab, line feed and carriage return; unpaired surrogates (no UTF-8
  text carries them, so PostgreSQL cannot store them); and U+FFFE/U+FFFF.
- Integers: PostgreSQL's ``integer``, the column of every id and number.

Plain Python, no ``odoo`` import.
"""

import re

MAX_INTEGER = 2**31 - 1
FORBIDDEN_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FORBIDDEN_CHARS_TEXT = "NUL, a control character or an unpaired surrogate"


def is_clean_text(text):
    """Whether ``text`` holds only characters XML 1.0 allows."""
    return not FORBIDDEN_CHARS.search(text)


def clean_text(text):
    """``text`` (or each text of a repeating field's list) without the characters XML 1.0
    forbids. Inputs refuse them; this keeps a builder from failing on a text stored before, or
    entered where nothing checks."""
    if isinstance(text, list):
        return [clean_text(item) for item in text]
    return FORBIDDEN_CHARS.sub("", text)
