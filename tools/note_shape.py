"""The shape of a note in the seed's form, as the API receives it and the model stores it.

Plain Python, no ``odoo`` import. ``note_problems(note)`` lists what is wrong as
``[(code, params)]``; ``annual.account.note._problem_text`` words each code in the user's
language. A note that passes fits its columns (``note_number`` a PostgreSQL integer), holds
only texts BRG's XML can carry (``limits``) and, in a table, cells that are texts, amounts
among them within ``amounts.MAX_AMOUNT`` (the PDF prints them as whole kroner).
"""

import re
from decimal import Decimal

from .amounts import MAX_AMOUNT
from .limits import MAX_INTEGER, is_clean_text

BODY_TYPES = ("text", "table")
TEXT_FIELDS = ("key", "title", "footer_text")
AMOUNT_CELL = re.compile(r"-?\d+\.\d{2}")


def note_problems(note):
    """What is wrong with one note in the seed shape, as ``[(code, params)]``."""
    if not isinstance(note, dict):
        return [("not_an_object", {})]
    problems = []
    if not str(note.get("title") or "").strip():
        problems.append(("title_missing", {}))
    texts = [(name, note.get(name)) for name in TEXT_FIELDS]
    body_type, body = note.get("body_type"), note.get("body")
    if body_type not in BODY_TYPES:
        problems.append(("unknown_body_type", {"body_type": repr(body_type)}))
    elif body_type == "text":
        if not isinstance(body, str | None):
            problems.append(("text_body_not_string", {}))
        texts.append(("body", body))
    else:
        problems += _table_problems(body, texts)
    number = note.get("note_number")
    if number is not None and (
        isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_INTEGER
    ):
        problems.append(("note_number", {"max": MAX_INTEGER}))
    footer = note.get("footer_text")
    if footer is not None and not isinstance(footer, str):
        problems.append(("footer_not_string", {}))
    problems += [
        ("forbidden_characters", {"field": name})
        for name, text in texts
        if isinstance(text, str) and not is_clean_text(text)
    ]
    return problems


def _table_problems(body, texts):
    """The problems of a table body; its cells are added to ``texts`` to be checked."""
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("columns"), list)
        or not isinstance(body.get("rows") or [], list)
        or set(body) - {"columns", "rows"}
    ):
        return [("table_body_shape", {})]
    problems = []
    cells = [(f"body.columns[{i}]", cell) for i, cell in enumerate(body["columns"])]
    width = len(body["columns"])
    for i, row in enumerate(body.get("rows") or [], start=1):
        if not isinstance(row, list) or len(row) != width:
            problems.append(("row_width", {"row": i, "width": width}))
            continue
        cells += [(f"body.rows[{i - 1}][{j}]", cell) for j, cell in enumerate(row)]
    for name, cell in cells:
        if not isinstance(cell, str):
            problems.append(("cell_not_string", {"field": name}))
        elif AMOUNT_CELL.fullmatch(cell.strip()) and abs(Decimal(cell.strip())) > MAX_AMOUNT:
            problems.append(("amount_too_large", {"field": name, "limit": f"{MAX_AMOUNT:f}"}))
    texts += cells
    return problems
