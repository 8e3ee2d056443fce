"""BRG's validations of the RR-0002-U Underskjema sheet, and the official sum formulas.

Each rule set is a generator ``(filing, today) -> Issue``; ``brg_validation.check`` runs them.
BRG compares what it receives, so the 2-kroner checks use whole kroner; the sum formulas are
checked on the exact amounts, where rounding cannot hide or fake a difference.
"""

from decimal import Decimal

from . import brg_formulas
from .brg_issue import issue
from .brg_underskjema import DERIVED_ONLY_WITH, NOTE_FIELDS, exact_figures, statement_figures

TOLERANCE_KRONER = 2
MINIMUM_SHARE_CAPITAL = {"AS": 30_000, "ASA": 1_000_000}
NO_GROUP_FORMS = ("ENK", "NUF")


def header(filing, today):
    currency = filing.get("currency") or filing["statement"].get("currency")
    if not currency:
        yield issue(
            "VAL_34984",
            "34984",
            "Du må legge inn hvilken valuta årsregnskapet er satt opp i. ",
            "Enter the currency of the accounts.",
        )
    elif currency != "NOK":
        yield issue(
            "MYK_VAL_34984",
            "34984",
            "Som hovedregel skal regnskapstallene oppgis i norske kroner. Sjekk om du har valgt"
            " korrekt valuta. ",
            "Figures are normally reported in NOK.",
        )


def statement(filing, today):
    exact = exact_figures(filing["statement"])
    required = (
        (
            "VAL_172",
            "172",
            "Du må fylle ut resultatregnskapet, slik at årsresultatet får korrekt verdi.",
            "The year's result is missing.",
        ),
        (
            "VAL_219",
            "219",
            "Du må fylle ut eiendeler i balansen, slik at sum eiendeler får korrekt verdi.",
            "Total assets are missing.",
        ),
        (
            "VAL_251",
            "251",
            "Du må fylle ut egenkapital og gjeld i balansen, slik at sum"
            " egenkapital og gjeld får korrekt verdi.",
            "Total equity and debt are missing.",
        ),
    )
    for rule_id, code, message, message_en in required:
        if code not in exact:
            yield issue(rule_id, code, message, message_en)
    figures = statement_figures(filing["statement"])
    if "251" in figures and abs(figures["251"] - figures.get("219", 0)) > TOLERANCE_KRONER:
        yield issue(
            "MYK_VAL_251",
            "251",
            "Sum eiendeler er forskjellig fra sum egenkapital og gjeld. Du må fylle ut tallene i"
            " balansen, slik at disse postene får samme verdi.",
            "Total assets differ from total equity and debt.",
        )
    runs_7071 = "33415" not in figures and "36633" not in figures
    if runs_7071 and "7071" in figures:
        if abs(figures["7071"] - figures.get("172", 0)) > TOLERANCE_KRONER:
            yield issue(
                "MYK_VAL_7071",
                "7071",
                "Sum overføringer og disponeringer skal ha samme verdi som posten Årsresultat.",
                "Total allocations differ from the year's result.",
            )
    yield from _group_and_capital(filing, figures)


def _group_and_capital(filing, figures):
    org_form = filing["company"].get("org_form")
    company_accounts = (filing.get("accounts_type") or "S") == "S"
    group = filing["group"]
    if company_accounts and org_form not in NO_GROUP_FORMS:
        if figures.get("9686", 0) > 0 and group.get("parent_company") is False:
            yield issue(
                "VAL_9686",
                "9686",
                "Du har oppgitt at virksomheten ikke er mor i konsern, og kan derfor ikke ha beløp"
                " i posten Investeringer i datterselskap. Sjekk om beløpet skal stå i posten"
                " Investeringer i tilknyttet selskap.",
                "Only a parent company has investments in subsidiaries.",
            )
        if "9686" not in figures and group.get("group_accounts"):
            yield issue(
                "MYK_VAL_9686",
                "9686",
                "Du har oppgitt at virksomheten er mor i konsern, og må derfor legge inn beløp i"
                " posten Investeringer i datterselskap.",
                "A parent company filing group accounts should show its subsidiaries.",
            )
    minimum = MINIMUM_SHARE_CAPITAL.get(org_form)
    currency = filing.get("currency") or filing["statement"].get("currency") or "NOK"
    if minimum is None or currency != "NOK":
        return
    capital, amount = figures.get("20488"), f"{minimum:,}".replace(",", " ")
    if capital is None:
        yield issue(
            "MYK_VAL_20488",
            "20488",
            f"Du har ikke fylt ut beløp i posten Selskapskapital. {org_form} skal ha minimum kr"
            f" {amount},- i aksjekapital.",
            "Share capital is missing.",
        )
    elif capital < minimum:
        yield issue(
            "MYK_VAL_20488",
            "20488",
            f"Du har ikke fylt ut korrekt beløp i posten Selskapskapital. {org_form} har et"
            f" minstekrav om kr {amount},- i aksjekapital.",
            "Share capital is below the legal minimum.",
        )


def sums(filing, today):
    """Our rule SUM_<code>: every sum of BRG's plan equals its formula over the filed lines.

    The optional derived results (DERIVED_ONLY_WITH) are checked only when present.
    """
    figures = exact_figures(filing["statement"])
    for code, formula in brg_formulas.FORMULAS.items():
        if code in DERIVED_ONLY_WITH and code not in figures:
            continue
        expected = brg_formulas.evaluate(formula, figures)
        actual = figures.get(code, Decimal(0))
        if actual != expected:
            yield issue(
                f"SUM_{code}",
                code,
                f"Summen i felt {code} er {actual}, men formelen {formula} gir {expected}.",
                f"Field {code} is {actual}; its formula {formula} gives {expected}.",
            )


def notes(filing, today):
    values = filing.get("note_values") or {}
    if values.get("going_concern_uncertain") and not values.get("going_concern_text"):
        yield issue(
            "VAL_37444",
            NOTE_FIELDS["going_concern_text"][0],
            "Du må beskrive hvorfor det er usikkerhet om fortsatt drift.",
            "Describe the going-concern uncertainty.",
        )
    foreign_nuf = filing.get("foreign_nuf_accounts") is True
    fte = values.get("full_time_equivalents")
    needs_fte = (filing.get("accounts_type") or "S") == "S" and filing["rules"].get(
        "small_enterprise"
    )
    if fte in (None, "") and needs_fte and not foreign_nuf:
        yield issue(
            "VAL_37467",
            "37467",
            "Du må oppgi antall årsverk. Har dere ingen årsverk, skriver du tallet 0.",
            "State the number of full-time equivalents (0 if none).",
        )
    elif fte not in (None, "") and Decimal(str(fte)) < 0 and not foreign_nuf:
        yield issue(
            "VAL_37467",
            "37467",
            "Antall årsverk kan ikke være et negativt tall.",
            "The number of full-time equivalents cannot be negative.",
        )
