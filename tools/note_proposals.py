"""Proposals from the ledger's evidence for what only the user can answer, each with the
paragraph and the reasons shown beside it; and the questions still open. A proposal is never an
answer: ``tools.notes`` files only what the user answered.

Plain Python, no ``odoo`` import.
"""

from decimal import ROUND_HALF_UP, Decimal

from .brg_notes import format_kroner
from .note_figures import (
    CREDIT_INSTITUTION_DEBT,
    EQUITY,
    GROUP_INVESTMENT_LINES,
    GROUP_LONG_TERM_DEBT,
    GROUP_RECEIVABLE_LINES,
    GROUP_SHORT_TERM_DEBT,
    INTANGIBLE_LINES,
    LONG_TERM_DEBT_LINES,
    REFERENCE_FULL_TIME_SALARY,
    RESULT,
    SALARY_LINE,
    SHARE_CAPITAL,
    TANGIBLE_LINES,
    ZERO,
    answer,
    any_amount,
    filed_amounts,
    in_range,
    line_accounts,
    salary_split,
    to_decimal,
    total,
)


def _proposal(value, paragraph, *reasons):
    return {"value": value, "paragraph": paragraph, "reasons": [r for r in reasons if r]}


def propose_full_time_equivalents(snapshot):
    """Full-time equivalents (§ 7-43) suggested by the payroll accounts: the year's salaries
    (50xx-53xx but board fees 5330-5335) over :data:`REFERENCE_FULL_TIME_SALARY`, to one
    decimal and at least 0.1; 0 when no salary is booked."""
    wages = sum(
        (
            to_decimal(a.get("amount"))
            for a in line_accounts(snapshot, SALARY_LINE)
            if in_range(a.get("code") or "", "5000", "5399")
            and not in_range(a.get("code") or "", "5330", "5335")
        ),
        ZERO,
    )
    pension = salary_split(snapshot)["pension"][0]
    paragraph = "regnskapsloven § 7-43"
    if wages <= 0:
        return _proposal(
            Decimal("0"),
            paragraph,
            "Det er ikke bokført lønn til ansatte (konto 5000-5399 utenom styrehonorar).",
        )
    estimate = max(
        (wages / REFERENCE_FULL_TIME_SALARY).quantize(Decimal("0.1"), ROUND_HALF_UP), Decimal("0.1")
    )
    return _proposal(
        estimate,
        paragraph,
        f"Lønn til ansatte er {format_kroner(wages)} kr; med"
        f" {format_kroner(REFERENCE_FULL_TIME_SALARY)} kr som et årsverk (om lag gjennomsnittlig"
        f" årslønn for heltidsansatte) gir det {estimate:f} årsverk.",
        f"Pensjonskostnad {format_kroner(pension)} kr er bokført, et tegn på ansatte med"
        " tjenestepensjon."
        if pension
        else None,
    )


def propose_pension_scheme(snapshot):
    """Whether the company has the mandatory occupational pension (lov om obligatorisk
    tjenestepensjon): yes when pension costs are booked; nothing proposed otherwise."""
    split = salary_split(snapshot)
    paragraph = "lov om obligatorisk tjenestepensjon § 2"
    if split["pension"][0] > 0:
        return _proposal(
            True,
            paragraph,
            f"Pensjonskostnad {format_kroner(split['pension'][0])} kr er bokført"
            " (konto 5255, 5420, 5942-5959).",
        )
    reason = None
    if split["salaries"][0] > 0:
        reason = "Lønn er bokført uten pensjonskostnad: sjekk om selskapet har plikt til OTP."
    return _proposal(None, paragraph, reason)


def propose_going_concern(snapshot):
    """Whether there is uncertainty about going concern, on the test of aksjeloven § 3-5: the
    board must act when equity must be assumed lower than sound under § 3-4. The ledger
    suggests yes when equity is negative, or below the share capital after a loss; no when
    equity covers the share capital and the year shows a profit; otherwise nothing."""
    amounts = filed_amounts(snapshot)
    equity = amounts.get(EQUITY, (ZERO,))[0]
    capital = amounts.get(SHARE_CAPITAL, (ZERO,))[0]
    result = amounts.get(RESULT, (ZERO,))[0]
    paragraph = "aksjeloven § 3-5, jf. § 3-4; regnskapsloven § 7-46"
    figures = (
        f"Egenkapitalen er {format_kroner(equity)} kr, aksjekapitalen {format_kroner(capital)} kr"
        f" og årets resultat {format_kroner(result)} kr."
    )
    if equity <= 0:
        return _proposal(True, paragraph, figures, "Egenkapitalen er tapt.")
    if equity < capital and result < 0:
        return _proposal(
            True, paragraph, figures, "Underskudd har tært egenkapitalen under aksjekapitalen."
        )
    if equity >= capital and result >= 0:
        return _proposal(False, paragraph, figures)
    return _proposal(None, paragraph, figures)


def going_concern_answer(inputs, snapshot):
    """The user's answer; a caller that does not pass the key at all gets the proposal
    (legacy, see the module docstring)."""
    if inputs is None or "going_concern_uncertain" not in inputs:
        return bool(propose_going_concern(snapshot)["value"])
    return answer(inputs, "going_concern_uncertain")


def open_questions(snapshot, inputs):
    """The answers the notes need and the user has not given, each ``{"name", "paragraph",
    "proposal"}`` (the proposal from the ledger when there is one), for the form to ask."""
    inputs = inputs or {}
    amounts = filed_amounts(snapshot)
    questions = []

    def ask(name, paragraph, proposal=None):
        if answer(inputs, name) is None:
            questions.append({"name": name, "paragraph": paragraph, "proposal": proposal})

    ask("full_time_equivalents", "regnskapsloven § 7-43", propose_full_time_equivalents(snapshot))
    ask("going_concern_uncertain", "regnskapsloven § 7-46", propose_going_concern(snapshot))
    if salary_split(snapshot)["salaries"][0] > 0:
        ask(
            "pension_scheme",
            "lov om obligatorisk tjenestepensjon",
            propose_pension_scheme(snapshot),
        )
    if answer(inputs, "manager_security") is None:  # legacy: one answer for both
        ask("manager_security_board", "regnskapsloven § 7-45")
        ask("manager_security_others", "regnskapsloven § 7-45")
    if total(amounts, LONG_TERM_DEBT_LINES):
        ask("debt_due_after_five_years", "regnskapsloven § 7-40")
    if total(amounts, CREDIT_INSTITUTION_DEBT):
        ask("secured_debt", "regnskapsloven § 7-40")
        ask("pledged_assets_book_value", "regnskapsloven § 7-40")
    if any_amount(amounts, TANGIBLE_LINES + INTANGIBLE_LINES):
        ask("fixed_assets", "regnskapsloven § 7-39")
    group = (*GROUP_INVESTMENT_LINES, *GROUP_RECEIVABLE_LINES)
    if any_amount(amounts, (*group, GROUP_SHORT_TERM_DEBT, GROUP_LONG_TERM_DEBT)):
        ask("consolidated_by_parent", "regnskapsloven § 7-36")
    return questions
