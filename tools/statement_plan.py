"""BRG's statement plan (oppstillingsplan) as plain data: formulas, signs, periods, mapping.

Everything here works on plain dicts and ``Decimal``; the ORM side (``annual.statement.engine``)
feeds it the plan lines, the mapping rules and the per-account balances it aggregated in SQL.
"""

import calendar
import csv
import re
from datetime import date, timedelta
from decimal import Decimal

ZERO = Decimal("0.00")
MAX_PERIOD_MONTHS = 18
# BRG accepts a difference of up to 2 kroner in its soft checks (MYK_VAL_251, MYK_VAL_7071).
SOFT_CHECK_TOLERANCE = Decimal("2")

_TERM = re.compile(r"\s*([+-])?\s*(\d+)\s*")


# ----------------------------------------------------------------------------------------------
# Formulas
# ----------------------------------------------------------------------------------------------


def parse_formula(text):
    """``"72 - 17126"`` → ``((1, "72"), (-1, "17126"))``; empty text → ``()``.

    BRG's formulas are sums and differences of field codes, nothing else.
    """
    text = (text or "").strip()
    terms, pos = [], 0
    while pos < len(text):
        match = _TERM.match(text, pos)
        if not match or match.end() == pos or (terms and not match.group(1)):
            raise ValueError(f"Cannot parse formula {text!r} at {pos}")
        terms.append((-1 if match.group(1) == "-" else 1, match.group(2)))
        pos = match.end()
    return tuple(terms)


def evaluation_order(formulas):
    """Order the sum codes so that each comes after every sum it refers to.

    ``formulas`` maps a code to its parsed terms. Raises ``ValueError`` on a cycle.
    """
    order, state = [], {}

    def visit(code, path):
        if state.get(code) == "done":
            return
        if state.get(code) == "visiting":
            raise ValueError(f"Cyclic formulas: {' -> '.join([*path, code])}")
        state[code] = "visiting"
        for _sign, ref in formulas[code]:
            if ref in formulas:
                visit(ref, [*path, code])
        state[code] = "done"
        order.append(code)

    for code in formulas:
        visit(code, [])
    return order


def evaluate(formulas, leaf_values):
    """Values of every code: the leaves as given (missing = 0) and each sum by its formula."""
    values = {code: Decimal(value) for code, value in leaf_values.items()}
    for code in evaluation_order(formulas):
        values[code] = sum(
            (sign * values.get(ref, ZERO) for sign, ref in formulas[code]), start=ZERO
        )
    return values


def presentation_amount(balance, sign):
    """Ledger balance (debit positive) → the amount BRG's formulas expect on a leaf line."""
    return Decimal(balance) * int(sign)


# ----------------------------------------------------------------------------------------------
# The official plan (BRG's TSV), used by tests to check the module's own data
# ----------------------------------------------------------------------------------------------


def read_brg_plan(path):
    """Lines of BRG's ``Oppstillingsplan_STORE_V16`` TSV as dicts with normalised fields."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        {
            "section": row["regnskap_dokumenttype"].strip(),
            "row": int(row["radnr"]),
            "name": " ".join(row["ledetekst_bokmaal"].split()),
            "code": row["feltkode_regnskapstall"].strip(),
            "formula": parse_formula(row["formel_regnskapstall"]),
            "prior_code": row["feltkode_sammenligningstall"].strip(),
            "prior_formula": parse_formula(row["formel_sammenligningstall"]),
            "bold": row["skriftstil"].strip() == "1",
            "level": int(row["innrykksnivaa"].strip() or 0),
            "is_standard": row["standard_rad"].strip() == "J",
            "note_code": row["feltkode_note"].strip(),
            "custom_code": row["feltkode_egendefinert_post"].strip(),
        }
        for row in rows
    ]


# ----------------------------------------------------------------------------------------------
# Periods
# ----------------------------------------------------------------------------------------------


def shift_years(day, years):
    """Same day ``years`` earlier or later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def prior_period(date_from, date_to):
    """The same period one year earlier (a period ending on a month's last day keeps it)."""
    prior_to = shift_years(date_to, -1)
    if date_to.day == calendar.monthrange(date_to.year, date_to.month)[1]:
        prior_to = prior_to.replace(day=calendar.monthrange(prior_to.year, prior_to.month)[1])
    return shift_years(date_from, -1), prior_to


def add_months(day, months):
    """``day`` moved by whole months, clamped to the target month's last day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_errors(date_from, date_to):
    """Codes of what is wrong with a period: ``PERIOD_REVERSED``, ``PERIOD_TOO_LONG``.

    A financial year may run up to 18 months (regnskapsloven § 1-7): 1 July 2024 to
    31 December 2025 is the longest period starting 1 July 2024.
    """
    if date_to < date_from:
        return ["PERIOD_REVERSED"]
    if date_to >= add_months(date_from, MAX_PERIOD_MONTHS):
        return ["PERIOD_TOO_LONG"]
    return []


def date_buckets(*ranges):
    """Split time at every range boundary so each range is a union of whole buckets.

    ``ranges`` are ``(from, to)`` pairs with ``from`` possibly ``None`` (open start). Returns
    ``(starts, members)``: ``starts`` are the sorted first days of buckets 1..n (bucket 0 is
    everything before ``starts[0]``), and ``members[i]`` is the set of bucket numbers range
    ``i`` covers. SQL then groups by one small integer instead of one sum per range.
    """
    starts = sorted(
        {d for start, end in ranges for d in (start, end + timedelta(days=1)) if d is not None}
    )
    members = []
    for start, end in ranges:
        first = 0 if start is None else starts.index(start) + 1
        last = starts.index(end + timedelta(days=1))
        members.append(set(range(first, last + 1)))
    return starts, members


# ----------------------------------------------------------------------------------------------
# Mapping account codes to lines
# ----------------------------------------------------------------------------------------------


def rule_matches(code, code_from, code_to):
    """A rule ``1500``-``1549`` matches ``1500``, ``1549`` and longer codes such as ``150010``."""
    prefix = (code or "")[: len(code_from)]
    return len(prefix) == len(code_from) and code_from <= prefix <= code_to


def rule_specificity(rule):
    """Sort key: a company's own rule beats a general one, then the narrowest range wins."""
    width = int(rule["code_to"]) - int(rule["code_from"])
    return (0 if rule.get("company_id") else 1, -len(rule["code_from"]), width, rule.get("id", 0))


def resolve_line(code, rules):
    """The rule for an account code (``rules`` sorted by :func:`rule_specificity`), or None."""
    for rule in rules:
        if rule_matches(code, rule["code_from"], rule["code_to"]):
            return rule
    return None


# ----------------------------------------------------------------------------------------------
# BRG's soft checks that the figures alone decide
# ----------------------------------------------------------------------------------------------


def soft_checks(values, date_from, date_to, currency="NOK"):
    """BRG's ``MYK_VAL_*`` checks that need nothing but the figures, the period and currency.

    ``values`` maps this year's field codes to amounts. Returns ``[(check_code, params)]``.
    """
    found = []
    if abs(values.get("251", ZERO) - values.get("219", ZERO)) > SOFT_CHECK_TOLERANCE:
        found.append(("MYK_VAL_251", {"assets": values.get("219"), "equity": values.get("251")}))
    # BRG runs 7071 = 172 only when there are no minority interests nor IFRS components.
    no_minority = not values.get("7717") and not values.get("38814")
    allocated = values.get("7071", ZERO)
    result = values.get("172", ZERO)
    if no_minority and allocated and abs(allocated - result) > SOFT_CHECK_TOLERANCE:
        found.append(("MYK_VAL_7071", {"allocated": allocated, "result": result}))
    if currency != "NOK":
        found.append(("MYK_VAL_34984", {"currency": currency}))
    if (date_to.month, date_to.day) != (12, 31):
        found.append(("MYK_VAL_17104", {"date_to": date_to}))
    elif (date_from.month, date_from.day) != (1, 1):
        found.append(("MYK_VAL_17103", {"date_from": date_from}))
    return found
