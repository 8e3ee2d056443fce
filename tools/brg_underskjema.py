"""RR-0002-U Underskjema (758/51980): the statement figures and the structured notes.

``build_underskjema(filing)`` reads these keys of the filing data (full contract in
``docs/architecture.md``, section "Filing data"):

- ``accounts_type``: "S" (company accounts, default) or "K" (group accounts), orid 25942
- ``currency``: ISO code, default ``statement["currency"]`` or "NOK" (orid 34984); the
  denomination (valør, orid 28974) is always "H": figures are whole kroner
- ``statement``: the engine snapshot; every ``line``/``sum`` line with a non-zero rounded
  ``amount`` is written at the element carrying ``code``, ``prior_amount`` at ``prior_code``.
  The year's result (172), total assets (219) and total equity and debt (251) are written even when
  zero: the schema requires them.
- ``notes``: the filing's notes (seed shape) plus optional ``"line_codes": [str]``, the field
  codes (this year's ``code``) of the statement lines the note documents. Its ``note_number``
  goes to the ``note`` element next to each such line (several notes on one line are joined as
  "2, 5"), and for the structured notes to their ``noteNummer...`` element, see
  :data:`NOTE_NUMBER_ORIDS`.
- ``note_values``: ``{name: value}`` for the structured notes, names in :data:`NOTE_FIELDS`;
  amounts are decimal strings (rounded like the statement), ``decimal`` values are written as
  given with a dot ("3.5"), ``bool`` as true/false. Absent or ``None`` values are left out.

Rounding: ``Decimal`` only, ``ROUND_HALF_UP`` (halves away from zero: 0.5 -> 1, -0.5 -> -1).
"""

from decimal import ROUND_HALF_UP, Decimal

from . import brg_schema
from .limits import clean_text

KIND = "underskjema"
REQUIRED_CODES = ("172", "219", "251")
DENOMINATION = "H"
# Results BRG only wants with minority interests or IFRS components. The engine fills them for
# every company, and a filled 33415/36633 would switch off BRG's "7071 = 172" check.
DERIVED_ONLY_WITH = {"33415": "7717", "33416": "8004", "36633": "38814", "36634": "38815"}

# name -> (orid, kind); the tree file RR-0002U_758-51980_tree.txt shows where each one sits.
NOTE_FIELDS = {
    # noteRegnskapsPrinsipp: accounting principles and going concern
    "accounting_principles": ("37442", "text"),
    "going_concern_uncertain": ("37443", "bool"),
    "going_concern_text": ("37444", "text"),
    # noteAksjeOpplysninger: own shares
    "own_shares_count": ("39939", "count"),
    "own_shares_nominal_value": ("39940", "decimal"),
    "own_shares_capital_percent": ("39941", "decimal"),
    "shares_text": ("37455", "text"),
    # noteAarsverkTjenestePensjon
    "full_time_equivalents": ("37467", "decimal"),
    # noteLaanLedendePerson: loans and security to managers (board / others)
    "manager_loans_board": ("39889", "amount"),
    "manager_loans_others": ("39890", "amount"),
    "manager_security_board": ("39891", "amount"),
    "manager_security_others": ("39892", "amount"),
    "manager_loans_rate_board": ("39893", "decimal"),
    "manager_loans_rate_others": ("39894", "decimal"),
    "manager_loans_terms_board": ("39895", "text"),
    "manager_loans_terms_others": ("39896", "text"),
    "manager_loans_repaid_board": ("39897", "amount"),
    "manager_loans_repaid_others": ("39898", "amount"),
    "manager_loans_written_off_board": ("40001", "amount"),
    "manager_loans_written_off_others": ("40002", "amount"),
    "manager_loans_waived_board": ("40003", "amount"),
    "manager_loans_waived_others": ("40004", "amount"),
    "manager_loans_text": ("37477", "text"),
    # noteTilknyttetSelskap: group and associated companies
    "consolidated_by_parent": ("37549", "bool"),
    "consolidating_parent_name": ("37491", "text"),
    "consolidating_parent_address": ("37492", "text"),
    "group_companies_text": ("37547", "text"),
    # noteSpesifiseringResultatregnskap: salary specification, this year and last year
    "salaries": ("37525", "amount"),
    "salaries_prior": ("37526", "amount"),
    "employer_tax": ("37527", "amount"),
    "employer_tax_prior": ("37528", "amount"),
    "pension_costs": ("37529", "amount"),
    "pension_costs_prior": ("37530", "amount"),
    "other_benefits": ("37531", "amount"),
    "other_benefits_prior": ("37532", "amount"),
    "salary_total": ("37533", "amount"),
    "salary_total_prior": ("37534", "amount"),
    "salary_text": ("37494", "text"),
    # noteKundefordringer and noteGjeld: receivables and debt, security, guarantees
    "receivables_due_after_one_year": ("39938", "amount"),
    "receivables_text": ("38583", "text"),
    "debt_due_after_five_years": ("40005", "amount"),
    "secured_debt": ("40006", "amount"),
    "pledged_assets_book_value": ("40008", "amount"),
    "guarantees_total": ("39936", "amount"),
    "guarantees_secured_text": ("39937", "text"),
    "debt_text": ("38601", "text"),
    # noteAnleggsmidlerDriftsmidler: tangible (varige) and intangible (immaterielle) assets
    "tangible_cost_start": ("39982", "amount"),
    "tangible_additions": ("39983", "amount"),
    "tangible_disposals": ("39984", "amount"),
    "tangible_cost_end": ("39985", "amount"),
    "tangible_depreciation_year": ("39987", "amount"),
    "tangible_book_value_end": ("39999", "amount"),
    "tangible_accumulated_depreciation": ("39986", "amount"),
    "intangible_cost_start": ("39998", "amount"),
    "intangible_additions": ("39988", "amount"),
    "intangible_disposals": ("39989", "amount"),
    "intangible_cost_end": ("39990", "amount"),
    "intangible_depreciation_year": ("39992", "amount"),
    "intangible_book_value_end": ("40000", "amount"),
    "intangible_accumulated_depreciation": ("39991", "amount"),
    "intangible_useful_life": ("39993", "text"),
    "intangible_depreciation_plan": ("39994", "text"),
    "fixed_assets_text": ("37496", "text"),
    # noteYtterligereOpplysninger: further information, free text
    "further_information": ("37551", "text"),
}

# note key (seed shape) -> the orids of the structured note's number elements
NOTE_NUMBER_ORIDS = {
    "regnskapsprinsipper": ("39009",),
    "fortsatt_drift": ("39010",),
    "egne_aksjer": ("39011",),
    "lonnskostnader": ("39016", "39022"),
    "lan_ledende": ("39018",),
    "konsernselskaper": ("39019",),
    "fordringer_gjeld": ("39024", "39026"),
    "varige_driftsmidler": ("39029",),
}


def kroner(amount) -> int:
    """Whole kroner of a decimal string or ``Decimal`` (BRG's valør H)."""
    return int(Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exact_figures(statement):
    """``{code: Decimal}`` of every filled figure, both years, before rounding."""
    figures = {}
    for line in statement["lines"]:
        for code_key, amount_key in (("code", "amount"), ("prior_code", "prior_amount")):
            code, amount = line.get(code_key), line.get(amount_key)
            if code and amount not in (None, ""):
                figures[code] = Decimal(str(amount))
    return figures


def statement_figures(statement):
    """``{code: int}`` of the figures as filed: whole kroner, zeros left out."""
    figures = {code: kroner(amount) for code, amount in exact_figures(statement).items()}
    figures = {code: amount for code, amount in figures.items() if amount}
    for code, trigger in DERIVED_ONLY_WITH.items():
        if trigger not in figures:
            figures.pop(code, None)
    return figures


def line_note_numbers(notes, statement, figures):
    """``{note orid: "n[, m]"}`` for the statement lines the notes document and that are shown
    (with a figure this year or last year)."""
    prior_codes = {line.get("code"): line.get("prior_code") for line in statement["lines"]}
    numbers = {}
    for note in notes:
        for code in note.get("line_codes") or ():
            shown = code in figures or prior_codes.get(code) in figures
            if shown and note.get("note_number"):
                note_orid = brg_schema.sibling_orid(KIND, code, "note")
                numbers.setdefault(note_orid, set()).add(int(note["note_number"]))
    return {orid: ", ".join(str(n) for n in sorted(nums)) for orid, nums in numbers.items()}


def note_value_text(value, kind):
    if kind == "amount":
        return str(kroner(value))
    if kind == "count":
        return str(int(value))
    if kind == "decimal":
        return format(Decimal(str(value)).normalize(), "f")
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def structured_note_values(notes, note_values):
    values = {}
    for name, value in note_values.items():
        if value is None or value == "":
            continue
        orid, kind = NOTE_FIELDS[name]
        values[orid] = note_value_text(value, kind)
    for note in notes:
        for orid in NOTE_NUMBER_ORIDS.get(note.get("key"), ()):
            if note.get("note_number"):
                values[orid] = str(note["note_number"])
    return values


def underskjema_values(filing):
    """``{orid: text}`` of the Underskjema for ``filing``."""
    statement = filing["statement"]
    notes = filing.get("notes") or []
    figures = statement_figures(statement)
    for code in REQUIRED_CODES:
        figures.setdefault(code, 0)
    values = {
        "25942": filing.get("accounts_type") or "S",
        "34984": filing.get("currency") or statement.get("currency") or "NOK",
        "28974": DENOMINATION,
    }
    values.update({code: str(amount) for code, amount in figures.items()})
    values.update(line_note_numbers(notes, statement, figures))
    values.update(structured_note_values(notes, filing.get("note_values") or {}))
    return values


def build_underskjema(filing) -> bytes:
    """The RR-0002-U Underskjema XML (UTF-8, with declaration) for ``filing``."""
    values = underskjema_values(filing)
    return brg_schema.render(KIND, {orid: clean_text(text) for orid, text in values.items()})
