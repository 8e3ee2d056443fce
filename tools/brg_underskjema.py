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
- ``note_values``: ``{name: value}`` for the structured notes, names in :data:`NOTE_FIELDS`
  (``tools.notes.note_values`` builds them from the notes as the user sees them); amounts are
  decimal strings (rounded like the statement), ``decimal`` values are written as given with a
  dot ("3.5"), ``bool`` as true/false, the fields of a repeating group as lists. Absent or
  ``None`` values are left out: an unanswered question stays unanswered.

Rounding: ``Decimal`` only, ``ROUND_HALF_UP`` (halves away from zero: 0.5 -> 1, -0.5 -> -1).
The leaves are rounded and every sum is computed from the rounded leaves with BRG's formula
(:func:`statement_figures`), so each filed sum is the sum of the filed lines; the PDF prints the
same function's figures.
"""

from decimal import ROUND_HALF_UP, Decimal

from . import brg_formulas, brg_schema
from .limits import clean_text

KIND = "underskjema"
REQUIRED_CODES = ("172", "219", "251")
DENOMINATION = "H"
# Results BRG only wants with minority interests or IFRS components. The engine fills them for
# every company, and a filled 33415/36633 would switch off BRG's "7071 = 172" check.
DERIVED_ONLY_WITH = {"33415": "7717", "33416": "8004", "36633": "38814", "36634": "38815"}
# (total, the sum that must equal it, the leaf of that sum that takes a rounding difference)
ROUNDING_DIFFERENCE_LEAVES = (
    ("219", "251", "3274"),
    ("7127", "7185", "7140"),
    ("172", "7071", "7065"),
    ("7054", "7072", "7066"),
)

# name -> (orid, kind): every field of BRG's note template for small enterprises (the Notemal_*
# sheets, 148 field codes; 37539, "loans or security given?", is not in the XSD) and where it
# sits in RR-0002U_758-51980_tree.txt. Kinds: amount (whole kroner), count (integer), decimal
# ("3.5"), bool, number (a note number, "2" or "2, 5"), text. The fields of a repeating group
# (extraordinary items, equity-method investments, financial instruments) take lists.
NOTE_FIELDS = {
    # noteRegnskapsPrinsipp: accounting principles (regnskapsloven § 7-35) and going concern
    # (§ 7-46)
    "note_number_principles": ("39009", "number"),
    "accounting_principles": ("37442", "text"),
    "note_number_going_concern": ("39010", "number"),
    "going_concern_uncertain": ("37443", "bool"),
    "going_concern_text": ("37444", "text"),
    # noteAksjeOpplysninger: own shares (§ 7-42), changes in the year, cooperatives, shares
    "note_number_shares": ("39011", "number"),
    "own_shares_count": ("39939", "count"),
    "own_shares_nominal_value": ("39940", "decimal"),
    "own_shares_capital_percent": ("39941", "decimal"),
    "own_shares_acquired_count": ("39942", "count"),
    "parent_shares_acquired_count": ("39943", "count"),
    "own_shares_acquired_consideration": ("39944", "amount"),
    "parent_shares_acquired_consideration": ("39945", "amount"),
    "own_shares_acquired_capital_percent": ("39946", "decimal"),
    "parent_shares_acquired_capital_percent": ("39947", "decimal"),
    "own_shares_acquired_reason": ("39960", "text"),
    "parent_shares_acquired_reason": ("39961", "text"),
    "own_shares_disposed_count": ("39949", "count"),
    "parent_shares_disposed_count": ("39950", "count"),
    "own_shares_disposed_consideration": ("39951", "amount"),
    "parent_shares_disposed_consideration": ("39952", "amount"),
    "own_shares_disposed_capital_percent": ("39953", "decimal"),
    "parent_shares_disposed_capital_percent": ("39954", "decimal"),
    "member_accounts_paid": ("39955", "amount"),
    "member_accounts_provided": ("39956", "amount"),
    "member_accounts_rules": ("39957", "text"),
    "shares_text": ("37455", "text"),
    # noteAarsverkTjenestePensjon: full-time equivalents (§ 7-43)
    "note_number_employees": ("39016", "number"),
    "full_time_equivalents": ("37467", "decimal"),
    # noteLaanLedendePerson: loans and security to managers (§ 7-45), board / other bodies
    "note_number_manager_loans": ("39018", "number"),
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
    # noteTilknyttetSelskap: group and associated companies (§ 7-36)
    "note_number_group": ("39019", "number"),
    "equity_method_investment": ("39899", "text"),
    "equity_method_opening": ("39900", "amount"),
    "equity_method_result": ("39901", "amount"),
    "equity_method_other_changes": ("39902", "amount"),
    "equity_method_closing": ("39903", "amount"),
    "equity_method_excess_values": ("39904", "amount"),
    "equity_method_excess_values_depreciation": ("39905", "amount"),
    "equity_method_goodwill": ("39906", "amount"),
    "equity_method_goodwill_depreciation": ("39907", "amount"),
    "equity_method_cost_at_acquisition": ("39908", "amount"),
    "equity_method_equity_at_acquisition": ("39909", "amount"),
    "consolidated_by_parent": ("37549", "bool"),
    "consolidating_parent_name": ("37491", "text"),
    "consolidating_parent_address": ("37492", "text"),
    "subsidiary_excluded": ("37550", "bool"),
    "subsidiary_excluded_text": ("37493", "text"),
    "subsidiary_transactions_text": ("39910", "text"),
    "intragroup_profit_text": ("39911", "text"),
    "group_receivables": ("39912", "amount"),
    "group_receivables_prior": ("39913", "amount"),
    "associate_receivables": ("39914", "amount"),
    "associate_receivables_prior": ("39915", "amount"),
    "joint_venture_receivables": ("39916", "amount"),
    "joint_venture_receivables_prior": ("39917", "amount"),
    "group_long_term_debt": ("39918", "amount"),
    "group_long_term_debt_prior": ("39919", "amount"),
    "associate_long_term_debt": ("39920", "amount"),
    "associate_long_term_debt_prior": ("39921", "amount"),
    "joint_venture_long_term_debt": ("39922", "amount"),
    "joint_venture_long_term_debt_prior": ("39923", "amount"),
    "group_short_term_debt": ("39924", "amount"),
    "group_short_term_debt_prior": ("39925", "amount"),
    "associate_short_term_debt": ("39926", "amount"),
    "associate_short_term_debt_prior": ("39927", "amount"),
    "joint_venture_short_term_debt": ("39928", "amount"),
    "joint_venture_short_term_debt_prior": ("39929", "amount"),
    "group_pledges": ("39930", "amount"),
    "group_other_security": ("39931", "amount"),
    "group_guarantees": ("39932", "amount"),
    "group_companies_text": ("37547", "text"),
    # noteSpesifiseringResultatregnskap: salary specification (§ 7-38), this year and last year
    "note_number_salary_specification": ("39022", "number"),
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
    # noteEkstraordnaereInntekterKostnader: extraordinary items (§ 7-41), repeating
    "note_number_extraordinary": ("39023", "number"),
    "extraordinary_income_description": ("38557", "text"),
    "extraordinary_income_amount": ("38558", "amount"),
    "extraordinary_income_total": ("38559", "amount"),
    "extraordinary_cost_description": ("38560", "text"),
    "extraordinary_cost_amount": ("38561", "amount"),
    "extraordinary_cost_total": ("38562", "amount"),
    "extraordinary_text": ("37495", "text"),
    # noteKundefordringer and noteGjeld: receivables and debt, security, guarantees (§ 7-40)
    "note_number_receivables": ("39024", "number"),
    "receivables_due_after_one_year": ("39938", "amount"),
    "receivables_text": ("38583", "text"),
    "note_number_debt": ("39026", "number"),
    "debt_due_after_five_years": ("40005", "amount"),
    "secured_debt": ("40006", "amount"),
    "pledged_assets_book_value": ("40008", "amount"),
    "guarantees_total": ("39936", "amount"),
    "guarantees_secured_text": ("39937", "text"),
    "debt_text": ("38601", "text"),
    # noteFinansielleInstrumenter: financial instruments at fair value (§ 7-37), repeating
    "note_number_financial_instruments": ("39027", "number"),
    "financial_instrument": ("38602", "text"),
    "financial_instrument_fair_value": ("38604", "amount"),
    "financial_instrument_value_change": ("39958", "amount"),
    "financial_instruments_fair_value_total": ("38606", "amount"),
    "financial_instruments_value_change_total": ("39959", "amount"),
    "financial_instruments_text": ("37497", "text"),
    "financial_derivatives_text": ("40007", "text"),
    # noteAnleggsmidlerDriftsmidler: tangible (varige) and intangible (immaterielle) assets
    # (§ 7-39)
    "note_number_fixed_assets": ("39029", "number"),
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
    "capitalised_borrowing_costs_text": ("39995", "text"),
    "goodwill_acquisitions_text": ("39996", "text"),
    "goodwill_depreciation_plan_text": ("39997", "text"),
    "fixed_assets_text": ("37496", "text"),
    # noteYtterligereOpplysninger: information beyond the minimum for small enterprises, and the
    # further information of § 7-46
    "note_number_further_information": ("39031", "number"),
    "further_information": ("37551", "text"),
}

# Legacy: the structured note's number elements by note key, for filing data whose note_values
# carry no note_number_* names (tools.brg_notes.route_notes fills them).
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
    """``{code: int}`` of the figures as filed: whole kroner, zeros left out.

    Leaves are rounded half up; each sum of BRG's plan present in the statement is BRG's
    formula over the rounded figures (a sum of sums over its own rounded terms), never the
    rounded exact sum, so 72 = 1340 + 7709 holds in the filed kroner too.
    """
    exact = exact_figures(statement)
    leaves = {code: kroner(v) for code, v in exact.items() if code not in brg_formulas.FORMULAS}
    figures = _with_sums(leaves)
    # Rounding differences that would unbalance what balances to the øre go where accountants
    # put them: other equity (3274) for the balance sheet, the transfer to other equity (7065)
    # for the allocations.
    balanced = _with_sums({c: v for c, v in exact.items() if c not in brg_formulas.FORMULAS})
    for total, side, leaf in ROUNDING_DIFFERENCE_LEAVES:
        if {total, side, leaf} <= set(exact) and balanced[total] == balanced[side]:
            leaves[leaf] += figures[total] - figures[side]
    figures = _with_sums(leaves)
    figures = {code: amount for code, amount in figures.items() if amount and code in exact}
    for code, trigger in DERIVED_ONLY_WITH.items():
        if trigger not in figures:
            figures.pop(code, None)
    return figures


def _with_sums(leaves):
    """``leaves`` with every sum of BRG's plan computed over them (absent codes count 0)."""
    figures = dict(leaves)

    def filed(code):
        if code not in figures:
            formula = brg_formulas.FORMULAS.get(code)
            terms = brg_formulas.terms(formula) if formula else ()
            figures[code] = sum(sign * filed(term) for sign, term in terms)
        return figures[code]

    for code in brg_formulas.FORMULAS:
        filed(code)
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
    if isinstance(value, list):
        return [None if item in (None, "") else note_value_text(item, kind) for item in value]
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
    """``{orid: text}`` of ``note_values``; unknown names raise ``KeyError``. Without
    ``note_number_*`` names (legacy filing data) the numbers come from the notes' keys."""
    values = {}
    for name, value in note_values.items():
        if value is None or value == "" or value == []:
            continue
        orid, kind = NOTE_FIELDS[name]
        values[orid] = note_value_text(value, kind)
    if not any(name.startswith("note_number_") for name in note_values):
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
