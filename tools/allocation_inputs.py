"""Inputs of the year-end allocation: parsing, validation, reading the snapshot, JSON.

Plain Python, no ``odoo`` import. Every error names the field it concerns and a stable
code; the model turns the list into one translated message, before writing anything.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .amounts import MAX_AMOUNT
from .limits import MAX_INTEGER

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# structured_data: field -> (kind, default). "amount" is never negative, "signed" may be,
# a None default means "computed by the server unless entered".
INPUT_FIELDS = {
    "dividend": ("amount", ZERO),
    "group_contribution": ("amount", ZERO),
    "recipient_business_partner_id": ("id", None),
    "group_contribution_received": ("amount", ZERO),
    "other_equity_transfer": ("signed", None),
    "dividends_after_balance_date": ("amount", ZERO),
    "group_contributions_after_balance_date": ("amount", ZERO),
    "credit_after_balance_date": ("amount", ZERO),
    "taxable_income": ("signed", None),
    "board_confirmation": ("bool", False),
    # aksjeloven § 8-1: what the balance sheet alone does not show (see allocation_law)
    "own_shares_after_balance_date": ("amount", ZERO),
    "gifts_after_balance_date": ("amount", ZERO),
    "capital_reduction_payouts_after_balance_date": ("amount", ZERO),
    "security_before_balance_date": ("amount", ZERO),
    "credit_repaid_before_decision": ("amount", ZERO),
    "registered_share_capital": ("amount", None),
}


class AllocationInputError(ValueError):
    """Invalid inputs: ``errors`` is a list of ``(field, code)``; codes are ``unknown``,
    ``not_a_number``, ``negative``, ``too_large`` (beyond ``amounts.MAX_AMOUNT``),
    ``too_many_decimals``, ``not_an_id``, ``not_a_boolean``,
    ``not_an_object``, ``not_a_list``, ``missing``, ``debit_and_credit``, ``zero``,
    ``too_few``, ``unbalanced``."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(", ".join(f"{field}: {code}" for field, code in errors))


def _amount(value, field, errors, signed=False):
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        errors.append((field, "not_a_number"))
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append((field, "not_a_number"))
        return None
    if not amount.is_finite():
        errors.append((field, "not_a_number"))
    elif abs(amount) > MAX_AMOUNT:  # first: quantizing a larger one may overflow
        errors.append((field, "too_large"))
    elif amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        errors.append((field, "too_many_decimals"))
    elif amount < 0 and not signed:
        errors.append((field, "negative"))
    else:
        return amount.quantize(CENT) + ZERO  # + ZERO: no "-0.00"
    return None


def _parse_value(kind, value, field, errors):
    if kind == "bool":
        if not isinstance(value, bool):
            errors.append((field, "not_a_boolean"))
        return value is True
    if kind == "id":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_INTEGER:
            errors.append((field, "not_an_id"))
            return None
        return value
    return _amount(value, field, errors, signed=kind == "signed")


def parse_inputs(data):
    """``structured_data`` (JSON) -> inputs with ``Decimal`` amounts and defaults filled in."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AllocationInputError([("structured_data", "not_an_object")])
    errors = [(f"structured_data.{key}", "unknown") for key in data if key not in INPUT_FIELDS]
    inputs = {}
    for field, (kind, default) in INPUT_FIELDS.items():
        value = data.get(field)
        inputs[field] = (
            default
            if value is None
            else _parse_value(kind, value, f"structured_data.{field}", errors)
        )
    if errors:
        raise AllocationInputError(errors)
    return inputs


def parse_lines(lines):
    """Journal lines ``{account_code, description?, debit?, credit?, partner_id?}`` ->
    normalised dicts. A line is either a debit or a credit, never zero."""
    if lines is None:
        return []
    if not isinstance(lines, list):
        raise AllocationInputError([("lines", "not_a_list")])
    errors, parsed = [], []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        if not isinstance(line, dict):
            errors.append((field, "not_an_object"))
            continue
        unknown = set(line) - {"account_code", "description", "debit", "credit", "partner_id"}
        errors += [(f"{field}.{key}", "unknown") for key in sorted(unknown)]
        code = line.get("account_code")
        if not isinstance(code, str) or not code.strip():
            errors.append((f"{field}.account_code", "missing"))
        description = line.get("description")
        if description is not None and not isinstance(description, str):
            errors.append((f"{field}.description", "not_a_string"))
        debit = _amount(line.get("debit") or "0", f"{field}.debit", errors)
        credit = _amount(line.get("credit") or "0", f"{field}.credit", errors)
        partner_id = line.get("partner_id")
        if partner_id is not None:
            partner_id = _parse_value("id", partner_id, f"{field}.partner_id", errors)
        if debit is not None and credit is not None:
            if debit and credit:
                errors.append((field, "debit_and_credit"))
            elif not debit and not credit:
                errors.append((field, "zero"))
        parsed.append(
            {
                "account_code": code.strip() if isinstance(code, str) else code,
                "description": description or "",
                "debit": debit,
                "credit": credit,
                "partner_id": partner_id,
            }
        )
    if errors:
        raise AllocationInputError(errors)
    return parsed


def check_entry(lines, final):
    """A final entry needs at least two lines whose debits equal their credits; a draft may
    be partial. Raises ``AllocationInputError``."""
    if not final:
        return
    if len(lines) < 2:
        raise AllocationInputError([("lines", "too_few")])
    if sum(line["debit"] for line in lines) != sum(line["credit"] for line in lines):
        raise AllocationInputError([("lines", "unbalanced")])


def snapshot_lines(snapshot):
    """The statement snapshot's lines by BRG field code."""
    return {line["code"]: line for line in snapshot.get("lines", []) if line.get("code")}


def line_amount(lines, code, prior=False):
    """A line's presentation amount (last year's with ``prior``), zero when absent."""
    value = (lines.get(code) or {}).get("prior_amount" if prior else "amount")
    return Decimal(str(value)) if value not in (None, "") else ZERO


def lines_amount(lines, account_codes):
    """Net debit of the lines booked on the given accounts."""
    return sum(
        (line["debit"] - line["credit"] for line in lines if line["account_code"] in account_codes),
        ZERO,
    )


def to_json(value):
    """Decimals -> strings with two decimals, recursively (the API's amount convention)."""
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value
