"""The statements and notes of a filing as printed (the PDF) and shown (the form).

Plain Python over the statement snapshot: the lines BRG would show, with their headers, last
year's figure and the numbers of the notes on them; amounts in whole kroner as Norwegian
annual accounts print them (``-1 234 567``).
"""

import re

from .brg_underskjema import REQUIRED_CODES, kroner, statement_figures

AMOUNT_RE = re.compile(r"-?\d+\.\d{2}")
SECTIONS = (("RES", "Resultatregnskap"), ("BAL", "Balanse"))


def report_sections(snapshot, note_refs):
    """``[{"title", "lines": [line]}]`` for the income statement and the balance sheet.

    A line is ``{label, level, bold, header, amount, prior_amount, notes}`` (amounts as
    printed). Lines are the figures as filed: zeros left out, except the codes BRG always
    wants; a header shows only above a line it heads. ``note_refs`` maps a field code to the
    numbers of the notes documenting it.
    """
    snapshot = snapshot or {"lines": []}
    figures = statement_figures(snapshot)
    for code in REQUIRED_CODES:
        figures.setdefault(code, 0)
    sections = []
    for section, title in SECTIONS:
        lines, pending = [], []
        for line in snapshot["lines"]:
            if line["section"] != section:
                continue
            if line["kind"] == "header":
                pending = [h for h in pending if h["level"] < (line["level"] or 0)]
                pending.append(_line(line, None, None, []))
                continue
            if line["code"] not in figures and line.get("prior_code") not in figures:
                continue
            lines += pending
            pending = []
            notes = sorted(n for n in note_refs.get(line["code"], []) if n)
            lines.append(
                _line(
                    line,
                    figures.get(line["code"], 0),
                    figures.get(line.get("prior_code"), 0),
                    notes,
                )
            )
        sections.append({"title": title, "lines": lines})
    return sections


def _line(line, amount, prior, notes):
    return {
        "label": line["label"] or "",
        "level": line["level"] or 0,
        "bold": bool(line.get("bold")) or line["kind"] == "sum",
        "header": line["kind"] == "header",
        "amount": "" if amount is None else format_kroner(amount),
        "prior_amount": "" if prior is None else format_kroner(prior),
        "notes": ", ".join(map(str, notes)),
    }


def printed_note(note):
    """A note (seed shape) as printed: amounts in table cells as whole kroner."""
    if note["body_type"] != "table":
        return note
    body = note["body"] if isinstance(note["body"], dict) else {}
    return dict(
        note,
        body={
            "columns": body.get("columns") or [],
            "rows": [[format_cell(cell) for cell in row] for row in body.get("rows") or []],
        },
    )


def format_kroner(amount):
    """Whole kroner as Norwegian annual accounts print them: ``-1 234 567``."""
    kroner_amount = kroner(amount)
    text = f"{abs(kroner_amount):,}".replace(",", " ")
    return f"-{text}" if kroner_amount < 0 else text


def format_cell(cell):
    """A table cell: decimal amounts (``"500000.00"``) become whole kroner, text stays."""
    if isinstance(cell, str) and AMOUNT_RE.fullmatch(cell.strip()):
        return format_kroner(cell.strip())
    return cell
