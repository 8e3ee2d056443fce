"""Where each note of a filing goes in RR-0002-U: its structured fields, or the note attachment.

Plain Python. ``route_notes(notes, period)`` reads the notes as the user sees them (the seed's
shape, generated or edited: ``tools.notes`` generates them) and returns

- ``values``: the structured note fields (``brg_underskjema.NOTE_FIELDS`` names). A table row
  the note template has a field for fills it (an edited figure is filed as edited); a row it has
  none for, the text of a text note and a footer go, as text, to the free-text field of the
  note's block (BRG's "Mer om ..." fields); every block gets the note's number;
- ``placement``: per note ``{"key", "note_number", "title", "home", "fields", "reason"}``;
  ``home`` is the block's name, or ``"attachment"`` when the note's text does not fit the
  field (the field then points to the attached Årsregnskap, which carries every note);
- ``attachment_required``: some note can only reach BRG in the attachment.

Notes without a block of their own (the equity movement, notes the user added) are
information beyond the small-enterprise minimum: BRG's field for that is 37551, which they share
with the further information of regnskapsloven § 7-46. Every note thus reaches BRG.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from . import brg_schema
from .brg_underskjema import KIND, NOTE_FIELDS, kroner


@dataclass(frozen=True)
class Home:
    name: str
    numbers: tuple  # NOTE_FIELDS names of the block's note-number elements
    text: str  # NOTE_FIELDS name of the block's free-text field


HOMES = {
    "regnskapsprinsipper": Home("principles", ("note_number_principles",), "accounting_principles"),
    "fortsatt_drift": Home("going_concern", ("note_number_going_concern",), "going_concern_text"),
    "egne_aksjer": Home("shares", ("note_number_shares",), "shares_text"),
    "aksjekapital": Home("shares", ("note_number_shares",), "shares_text"),
    "lonnskostnader": Home(
        "employees_and_salaries",
        ("note_number_employees", "note_number_salary_specification"),
        "salary_text",
    ),
    "lan_ledende": Home("manager_loans", ("note_number_manager_loans",), "manager_loans_text"),
    "konsernselskaper": Home("group", ("note_number_group",), "group_companies_text"),
    "ekstraordinaere_poster": Home(
        "extraordinary", ("note_number_extraordinary",), "extraordinary_text"
    ),
    "fordringer_gjeld": Home(
        "receivables_and_debt", ("note_number_receivables", "note_number_debt"), "debt_text"
    ),
    "finansielle_instrumenter": Home(
        "financial_instruments",
        ("note_number_financial_instruments",),
        "financial_instruments_text",
    ),
    "varige_driftsmidler": Home("fixed_assets", ("note_number_fixed_assets",), "fixed_assets_text"),
    "ytterligere_opplysninger": Home(
        "further_information", ("note_number_further_information",), "further_information"
    ),
}
BEYOND_MINIMUM = HOMES["ytterligere_opplysninger"]
ATTACHMENT = "attachment"

# The rows the note template has fields for, by the label tools.notes writes. A table with the
# years as columns (label, this year, last year) fills ``name`` and ``name_prior``.
SALARY_ROWS = {
    "Lønninger": "salaries",
    "Arbeidsgiveravgift": "employer_tax",
    "Pensjonskostnader": "pension_costs",
    "Andre ytelser": "other_benefits",
    "Sum": "salary_total",
}
SALARY_PARTS = ("salaries", "employer_tax", "pension_costs", "other_benefits")
DEBT_ROWS = {
    "Fordringer med forfall senere enn ett år": "receivables_due_after_one_year",
    "Gjeld som forfaller senere enn fem år": "debt_due_after_five_years",
    "Gjeld sikret ved pant": "secured_debt",
    "Bokført verdi av pantsatte eiendeler": "pledged_assets_book_value",
    "Garantiansvar": "guarantees_total",
}
GROUP_ROWS = {
    "Fordringer på foretak i samme konsern": "group_receivables",
    "Fordringer på tilknyttet selskap": "associate_receivables",
    "Fordringer på felles kontrollert virksomhet": "joint_venture_receivables",
    "Langsiktig gjeld til foretak i samme konsern": "group_long_term_debt",
    "Langsiktig gjeld til tilknyttet selskap": "associate_long_term_debt",
    "Langsiktig gjeld til felles kontrollert virksomhet": "joint_venture_long_term_debt",
    "Kortsiktig gjeld til foretak i samme konsern": "group_short_term_debt",
    "Kortsiktig gjeld til tilknyttet selskap": "associate_short_term_debt",
    "Kortsiktig gjeld til felles kontrollert virksomhet": "joint_venture_short_term_debt",
}
GROUP_SECURITY_ROWS = {  # one column: this year only
    "Pant stilt til fordel for foretak i samme konsern": "group_pledges",
    "Annen sikkerhet stilt til fordel for foretak i samme konsern": "group_other_security",
    "Garantier til fordel for foretak i samme konsern": "group_guarantees",
}
LOAN_COLUMNS = {"Styret": "board", "Andre": "others"}
LOAN_ROWS = {
    "Lån": "manager_loans",
    "Sikkerhetsstillelse": "manager_security",
    "Rentesats (%)": "manager_loans_rate",
    "Hovedvilkår": "manager_loans_terms",
    "Tilbakebetalt i året": "manager_loans_repaid",
    "Avskrevet i året": "manager_loans_written_off",
    "Frafalt i året": "manager_loans_waived",
}
ASSET_COLUMNS = {"Varige driftsmidler": "tangible", "Immaterielle eiendeler": "intangible"}
EXTRAORDINARY_KINDS = {"Inntekt": "income", "Kostnad": "cost"}


def norwegian_date(day):
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def asset_rows(start, end):
    """Row label -> field suffix of the fixed-asset table for a period ``start``-``end``."""
    start, end = norwegian_date(start), norwegian_date(end)
    return {
        f"Anskaffelseskost {start}": "cost_start",
        "Tilgang i året": "additions",
        "Avgang i året": "disposals",
        f"Anskaffelseskost {end}": "cost_end",
        f"Samlede av- og nedskrivninger {end}": "accumulated_depreciation",
        f"Balanseført verdi {end}": "book_value_end",
        "Årets av- og nedskrivninger": "depreciation_year",
    }


# ----------------------------------------------------------------------------------------------
# Reading cells
# ----------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"-?\d[\d  ]*([.,]\d+)?")


def parse_number(cell):
    """A table cell as ``Decimal``: "1250000.00", "1 250 000", "-3,5"; None when it is text."""
    if isinstance(cell, int | Decimal) and not isinstance(cell, bool):
        return Decimal(cell)
    text = str(cell or "").strip().replace("\u2212", "-")
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        return None


def format_kroner(value):
    """Whole kroner as printed: ``-1 234 567``."""
    amount = kroner(value)
    text = f"{abs(amount):,}".replace(",", " ")
    return f"-{text}" if amount < 0 else text


_AMOUNT_RE = re.compile(r"-?\d+\.\d\d")  # an amount as the notes write it ("1250.00")


def _cell_text(cell):
    text = str(cell).strip()
    return format_kroner(text) if _AMOUNT_RE.fullmatch(text) else text


def table_lines(body, rows=None):
    """Table rows (all, or those given) as text lines: ``label: value`` when the table has one
    column of values, else ``label: column value, column value``."""
    headers = [str(c) for c in body.get("columns") or []][1:]
    lines = []
    for row in body.get("rows") if rows is None else rows:
        label, cells = (str(row[0]) if row else ""), row[1:]
        shown = [
            (headers[i] if i < len(headers) and len(headers) > 1 else "", _cell_text(cell))
            for i, cell in enumerate(cells)
            if str(cell or "").strip()
        ]
        text = ", ".join(f"{header} {value}".strip() for header, value in shown)
        lines.append(f"{label}: {text}" if text else label)
    return lines


# ----------------------------------------------------------------------------------------------
# Tables with fields
# ----------------------------------------------------------------------------------------------


def _value(name, cell):
    """The field's value read from ``cell``, or None when the cell cannot fill it."""
    kind = NOTE_FIELDS[name][1]
    if kind == "text":
        text = str(cell or "").strip()
        return text or None
    number = parse_number(cell)
    if number is None:
        return None
    return str(kroner(number)) if kind in ("amount", "count") else format(number.normalize(), "f")


def _fill(body, fields_of, values):
    """Put in ``values`` each row whose cells all fill a field (``fields_of(label)`` names one
    field a cell, or is empty for a row without fields); returns the rows left over."""
    left = []
    for row in body.get("rows") or []:
        fields = fields_of(str(row[0]).strip()) if row else None
        found = {}
        for field, cell in zip(fields or (), row[1:], strict=False):
            if not str(cell or "").strip():
                continue
            value = _value(field, cell) if field in NOTE_FIELDS else None
            if value is None:
                found = None
                break
            found[field] = value
        if fields and found is not None:
            values.update(found)
        else:
            left.append(row)
    return left


def _by_year(rows, body):
    """Rows ``label, this year, last year`` fill ``name`` and ``name_prior`` (one value column:
    ``name``)."""
    width = len(body.get("columns") or [])

    def fields_of(label):
        name = rows.get(label)
        return name and ([name, f"{name}_prior"] if width >= 3 else [name])

    return fields_of


def _by_column(rows, columns, body, pattern):
    """Rows whose columns name the field's variant: ``pattern`` of ``base`` and ``variant``
    (``manager_loans_board``, ``tangible_cost_start``)."""
    variants = [columns.get(str(c).strip()) for c in (body.get("columns") or [])[1:]]

    def fields_of(label):
        base = rows.get(label)
        return base and [v and pattern.format(base=base, variant=v) for v in variants]

    return fields_of


def _extraordinary_table(body, values):
    left, items = [], {"income": [], "cost": []}
    for row in body.get("rows") or []:
        label = str(row[0]) if row else ""
        kind, _sep, description = label.partition(": ")
        amount = parse_number(row[1]) if len(row) > 1 else None
        if kind in EXTRAORDINARY_KINDS and description and amount is not None:
            items[EXTRAORDINARY_KINDS[kind]].append((description.strip(), kroner(amount)))
        elif not label.startswith("Sum"):
            left.append(row)
    for kind, found in items.items():
        if found:
            values[f"extraordinary_{kind}_description"] = [d for d, _a in found]
            values[f"extraordinary_{kind}_amount"] = [str(a) for _d, a in found]
            values[f"extraordinary_{kind}_total"] = str(sum(a for _d, a in found))
    return left


def _read_table(key, body, values, period):
    """Fill ``values`` from a table note; returns the rows that have no field."""
    if key == "lonnskostnader":
        left = _fill(body, _by_year(SALARY_ROWS, body), values)
        for suffix in ("", "_prior"):  # the total is the sum of the filed parts
            parts = [values.get(f"{name}{suffix}") for name in SALARY_PARTS]
            if all(part is not None for part in parts):
                values[f"salary_total{suffix}"] = str(sum(int(p) for p in parts))
        return left
    if key == "fordringer_gjeld":
        return _fill(body, _by_year(DEBT_ROWS, body), values)
    if key == "konsernselskaper":
        return _fill(body, _by_year({**GROUP_ROWS, **GROUP_SECURITY_ROWS}, body), values)
    if key == "lan_ledende":
        fields_of = _by_column(LOAN_ROWS, LOAN_COLUMNS, body, "{base}_{variant}")
        return _fill(body, fields_of, values)
    if key == "varige_driftsmidler" and period:
        fields_of = _by_column(asset_rows(*period), ASSET_COLUMNS, body, "{variant}_{base}")
        return _fill(body, fields_of, values)
    if key == "ekstraordinaere_poster":
        return _extraordinary_table(body, values)
    return list(body.get("rows") or [])


# ----------------------------------------------------------------------------------------------
# Routing
# ----------------------------------------------------------------------------------------------


def _as_period(period):
    if not period or not all(period):
        return None
    return tuple(day if isinstance(day, date) else date.fromisoformat(str(day)) for day in period)


def _note_text(note, left_rows):
    """What of ``note`` only text can carry: a text body, table rows without a field, the
    footer."""
    parts = []
    body = note.get("body")
    if note.get("body_type") == "table" and isinstance(body, dict):
        parts += table_lines(body, left_rows)
    elif isinstance(body, str) and body.strip():
        parts.append(body.strip())
    if str(note.get("footer_text") or "").strip():
        parts.append(note["footer_text"].strip())
    return "\n".join(parts)


def route_notes(notes, period=None):
    """See the module docstring. ``period`` is ``(start, end)`` (dates or ISO strings) of the
    financial year, for the dated rows of the fixed-asset table."""
    period = _as_period(period)
    values, placement, texts, numbers = {}, [], {}, {}
    for note in notes:
        key = note.get("key")
        home = HOMES.get(key, BEYOND_MINIMUM)
        left, before = [], set(values)
        body = note.get("body")
        if note.get("body_type") == "table" and isinstance(body, dict):
            left = _read_table(key, body, values, period) if key in HOMES else body.get("rows")
        text = _note_text(note, left or [])
        number = note.get("note_number")
        for name in home.numbers:
            if number:
                numbers.setdefault(name, []).append(int(number))
        entry = {
            "key": key,
            "note_number": number,
            "title": note.get("title"),
            "home": home.name,
            "fields": sorted(set(values) - before),
            "reason": None,
        }
        if text:
            texts.setdefault(home.text, []).append((note, text, entry))
        placement.append(entry)
    for field, items in texts.items():
        values[field] = _fit(field, items)
    for name, found in numbers.items():
        values[name] = ", ".join(str(n) for n in sorted(set(found)))
    for entry in placement:
        home = HOMES.get(entry["key"], BEYOND_MINIMUM)
        entry["fields"] += [n for n in home.numbers if n in values]
        if entry["home"] != ATTACHMENT and any(
            e is entry for _n, _t, e in texts.get(home.text, ())
        ):
            entry["fields"].append(home.text)
    return {
        "values": values,
        "placement": placement,
        "attachment_required": any(e["home"] == ATTACHMENT for e in placement),
    }


def _fit(field, items):
    """The text of one free-text field for the notes ``items`` (``(note, text, entry)``): each
    headed by its note when several share the field. A note that does not fit is moved to the
    attachment and the field points to it."""
    limit = brg_schema.max_length(KIND, NOTE_FIELDS[field][0])
    shared = len(items) > 1
    parts = []
    for note, text, entry in items:
        head = f"Note {note.get('note_number') or ''} {note.get('title') or ''}".strip()
        part = f"{head}\n{text}" if shared else text
        if limit and len("\n\n".join([*parts, part])) > limit:
            entry["home"], entry["reason"] = ATTACHMENT, "text_too_long"
            part = f"{head}: se vedlagt årsregnskap."
        parts.append(part)
    return "\n\n".join(parts)[:limit] if limit else "\n\n".join(parts)
