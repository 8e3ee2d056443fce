"""An imported set of consolidated figures: BRG field codes with this year's and last year's
amounts, checked against the plan and its sums before anything is kept.

The file is CSV (comma, semicolon or tab; UTF-8 or Windows-1252, as spreadsheets save it) or
XLSX (the first sheet), one line of BRG's plan a row: the line's field code (this year's, as
on BRG's form: 1340 for "Salgsinntekt"), this year's amount, last year's amount (empty is 0).
A first row of headings is skipped. Amounts are kroner and øre in the sign BRG's form wants
(income, costs, assets, equity and debt positive), with "." or "," for the decimals and spaces
between thousands allowed. Sum lines may be given; they must then equal BRG's formula over
the lines given, and the sums not given are computed.

``parse(content, filename, plan)`` returns the leaves ``{code: (amount, prior)}`` or raises
``ImportRefused`` with every error found (``(row, code, params)``; row 0 is the whole file).
"""

import csv
import io
import re
from decimal import Decimal

from .amounts import MAX_AMOUNT
from .group_figures import ZERO, money

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
BALANCE = ("219", "251")
_AMOUNT = re.compile(r"-?\d+(\.\d{1,2})?")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")


class ImportRefused(ValueError):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def parse(content, filename, plan):
    rows = _rows(content, filename)
    figures, sums, errors = {}, {}, []
    prior_codes = {prior: code for code, prior in plan.prior_of.items() if prior}
    leaves, sum_codes = set(plan.leaves), set(plan.sums)
    seen = {}
    for number, cells in rows:
        cells = list(cells)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if not cells:
            continue
        code = _text(cells[0])
        if number == 1 and not code.isdigit():
            continue  # headings
        if len(cells) > 3 or len(cells) < 2:
            errors.append((number, "columns", {"count": len(cells)}))
            continue
        if code in prior_codes:
            errors.append((number, "code_prior", {"code": code, "line": prior_codes[code]}))
            continue
        if code not in leaves and code not in sum_codes:
            errors.append((number, "code_unknown", {"code": code}))
            continue
        if code in seen:
            errors.append((number, "duplicate", {"code": code, "first": seen[code]}))
            continue
        seen[code] = number
        amounts = []
        for cell in (cells[1], cells[2] if len(cells) > 2 else None):
            amount, error = _amount(cell)
            if error:
                errors.append((number, error, {"code": code, "value": _text(cell)}))
            amounts.append(amount)
        if None not in amounts:
            (figures if code in leaves else sums)[code] = tuple(amounts)
    if not errors and not figures:
        errors.append((0, "no_figures", {}))
    if errors:
        raise ImportRefused(errors)
    figures = {code: value for code, value in figures.items() if any(value)}
    _check_sums(plan, figures, sums, seen)
    return figures


def _check_sums(plan, figures, sums, rows):
    computed = plan.with_sums(figures)
    errors = []
    for code, given in sums.items():
        for column in (0, 1):
            if given[column] != computed[code][column]:
                params = {
                    "code": code,
                    "column": column,
                    "given": money(given[column]),
                    "computed": money(computed[code][column]),
                }
                errors.append((rows[code], "sum_mismatch", params))
    for column in (0, 1):
        assets, equity = (computed[code][column] for code in BALANCE)
        if assets != equity:
            params = {"column": column, "assets": money(assets), "equity": money(equity)}
            errors.append((0, "unbalanced", params))
    if errors:
        raise ImportRefused(errors)


def _rows(content, filename):
    """``[(row number, [cells])]`` of the file's first sheet."""
    if not content:
        raise ImportRefused([(0, "empty_file", {})])
    if len(content) > MAX_BYTES:
        raise ImportRefused([(0, "too_large", {"limit": MAX_BYTES})])
    if content[:2] == b"PK" or (filename or "").lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    if len(rows) > MAX_ROWS:
        raise ImportRefused([(0, "too_many_rows", {"limit": MAX_ROWS})])
    return list(enumerate(rows, start=1))


def _csv_rows(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise ImportRefused([(0, "unreadable", {})])
    first = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=first.count) if any(d in first for d in ";\t,") else ";"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content):
    import openpyxl  # Odoo's own requirement; only an import needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportRefused([(0, "unreadable", {})]) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS:
                break
        return rows
    finally:
        book.close()


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _amount(cell):
    """``(Decimal, None)`` or ``(None, error code)``."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return ZERO, None
    if isinstance(cell, bool):
        return None, "amount_invalid"
    if isinstance(cell, int | float):
        text = repr(cell)
    else:
        text = _SPACES.sub("", str(cell)).replace("\u2212", "-")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
    if not _AMOUNT.fullmatch(text):  # also a spreadsheet's 1234.5000001 or 1e+20
        return None, "amount_invalid"
    amount = Decimal(text)
    if abs(amount) > MAX_AMOUNT:
        return None, "amount_too_large"
    return amount.quantize(Decimal("0.01")), None
