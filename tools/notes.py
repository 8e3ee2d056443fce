"""The notes (noter) a small enterprise gives (regnskapsloven §§ 7-35 to 7-46), generated from
the statement snapshot.

Plain Python, no ``odoo`` import. ``generate_notes(snapshot, inputs)`` returns the notes in the
seed's shape (``note_number``, ``key``, ``title``, ``body_type``, ``body``, ``footer_text``) plus
``line_codes``, the field codes of the statement lines each note documents. ``filing_notes``
(and its ``values``, ``note_values``) says what of the notes, as the user sees them, goes to the
structured RR-0002-U fields and what to the note attachment (``tools.brg_notes``).

``inputs`` holds what the ledger cannot know. An answer that is ``None`` or absent is
unanswered: the notes say nothing about it and its structured field stays empty, so BRG's
"must be answered" rules fire. ``tools.note_proposals`` proposes answers from the ledger's
evidence and says why, for the user to accept; it never answers. (One legacy case: a caller
that does not pass ``going_concern_uncertain`` at all gets the proposal as before issue 15.)

Amounts are whole kroner as filed (``tools.note_figures``): the PDF prints the same numbers
as the XML. Notes are in Norwegian, as they are filed.

Numbering (DOMAIN.md §7): notes tied to no statement line (accounting principles, going
concern) come first, then the others in the order their first line appears on the form, the
further information last.
"""

from decimal import ROUND_HALF_UP, Decimal

from .brg_notes import (
    DEBT_ROWS,
    GROUP_ROWS,
    GROUP_SECURITY_ROWS,
    LOAN_ROWS,
    SALARY_ROWS,
    asset_rows,
    format_kroner,
    norwegian_date,
    route_notes,
)
from .brg_underskjema import kroner
from .note_figures import (
    ASSOCIATE_RECEIVABLE_LINE,
    CENT,
    CURRENT_INVESTMENTS,
    DEFERRED_TAX,
    DEFERRED_TAX_ASSET,
    DEPRECIATION_LINE,
    DIVIDEND_LINES,
    EQUITY,
    GROUP_CONTRIBUTION_GIVEN,
    GROUP_CONTRIBUTION_RECEIVED,
    GROUP_INVESTMENT_LINES,
    GROUP_LONG_TERM_DEBT,
    GROUP_RECEIVABLE_LINES,
    GROUP_SHORT_TERM_DEBT,
    GUARANTEE_LINES,
    IMPAIRMENT_LINE,
    INTANGIBLE_LINES,
    INVENTORY,
    INVESTMENTS,
    JOINT_VENTURE_ACCOUNTS,
    LAST_LINE,
    LONG_TERM_DEBT_LINES,
    LONG_TERM_RECEIVABLES,
    OTHER_RECEIVABLES,
    OWN_SHARES,
    PENSION_LIABILITIES,
    RESULT,
    RESULT_BEFORE_TAX,
    SALARY_LINE,
    SHARE_CAPITAL,
    SHARE_PREMIUM,
    TANGIBLE_LINES,
    TAX,
    TRADE_RECEIVABLES,
    ZERO,
    answer,
    any_amount,
    depreciation_split,
    filed_amounts,
    filed_salary_split,
    line_accounts,
    money,
    number_answer,
    period_dates,
    related_party_balances,
    salary_split,  # noqa: F401 (tools.notes.salary_split, as before)
    to_decimal,
    total,
)
from .note_proposals import going_concern_answer
from .note_shape import note_problems  # noqa: F401 - the check lives in note_shape

NOTE_KEYS = (
    "regnskapsprinsipper",
    "fortsatt_drift",
    "lonnskostnader",
    "varige_driftsmidler",
    "fordringer_gjeld",
    "konsernselskaper",
    "ekstraordinaere_poster",
    "lan_ledende",
    "egne_aksjer",
    "aksjekapital",
    "egenkapital",
    "ytterligere_opplysninger",
)


# ----------------------------------------------------------------------------------------------
# The notes
# ----------------------------------------------------------------------------------------------


def _note(key, title, body, line_codes=(), footer_text=None):
    body_type = "table" if isinstance(body, dict) else "text"
    note = {"key": key, "title": title, "body_type": body_type, "body": body}
    note["footer_text"] = footer_text or None
    note["line_codes"] = list(line_codes)
    return note


def _principles(amounts):
    """§ 7-35: the principles the ledger's lines call for."""
    has = lambda *codes: any_amount(amounts, codes)  # noqa: E731
    sentences = [
        "Årsregnskapet er satt opp i samsvar med regnskapsloven og god regnskapsskikk for små"
        " foretak.",
        "Driftsinntekter inntektsføres når de er opptjent, og kostnader sammenstilles med"
        " inntektene de hører til.",
        "Eiendeler bestemt til varig eie eller bruk er klassifisert som anleggsmidler; andre"
        " eiendeler er omløpsmidler. Fordringer som skal tilbakebetales innen ett år er"
        " klassifisert som omløpsmidler. Ved klassifisering av kortsiktig og langsiktig gjeld er"
        " tilsvarende kriterier lagt til grunn.",
    ]
    if has(*TANGIBLE_LINES, *INTANGIBLE_LINES):
        sentences.append(
            "Varige driftsmidler og immaterielle eiendeler balanseføres til anskaffelseskost og"
            " avskrives lineært over forventet økonomisk levetid. Ved varig verdifall nedskrives"
            " de til virkelig verdi."
        )
    if has(INVENTORY):
        sentences.append("Varer er vurdert til laveste av anskaffelseskost og virkelig verdi.")
    if has(TRADE_RECEIVABLES, OTHER_RECEIVABLES, LONG_TERM_RECEIVABLES, *GROUP_RECEIVABLE_LINES):
        sentences.append(
            "Kundefordringer og andre fordringer er oppført til pålydende etter fradrag for"
            " avsetning til forventet tap."
        )
    if has(*INVESTMENTS, *GROUP_INVESTMENT_LINES):
        sentences.append(
            "Investeringer i aksjer, andeler og obligasjoner som er anleggsmidler er vurdert til"
            " anskaffelseskost, og nedskrevet til virkelig verdi ved verdifall som ikke er"
            " forbigående."
        )
    if has(*CURRENT_INVESTMENTS):
        sentences.append(
            "Finansielle omløpsmidler er vurdert til laveste av anskaffelseskost og virkelig verdi."
        )
    if has(PENSION_LIABILITIES):
        sentences.append(
            "Pensjonsforpliktelser er balanseført og pensjonskostnaden kostnadsført etter god"
            " regnskapsskikk for små foretak."
        )
    if has(DEFERRED_TAX, DEFERRED_TAX_ASSET):
        sentences.append(
            "Skattekostnaden omfatter betalbar skatt og endring i utsatt skatt. Utsatt skatt og"
            " utsatt skattefordel er beregnet med 22 % av de midlertidige forskjellene mellom"
            " regnskapsmessige og skattemessige verdier og av skattemessig underskudd til"
            " fremføring."
        )
    elif has(TAX):
        sentences.append("Skattekostnaden omfatter betalbar skatt for perioden.")
    return _note("regnskapsprinsipper", "Regnskapsprinsipper", " ".join(sentences))


def _going_concern(snapshot, amounts, inputs):
    """§ 7-46 on the § 3-5 test: only when the user answered that there is uncertainty (or,
    legacy, the ledger proposes it); the user's own text when given."""
    if going_concern_answer(inputs, snapshot) is not True:
        return None
    text = answer(inputs, "going_concern_text")
    if not text:
        end = norwegian_date(period_dates(snapshot)[1])
        equity = amounts.get(EQUITY, (ZERO,))[0]
        capital = amounts.get(SHARE_CAPITAL, (ZERO,))[0]
        result = amounts.get(RESULT, (ZERO,))[0]
        text = (
            f"Per {end} er selskapets egenkapital {format_kroner(equity)} kr og aksjekapitalen"
            f" {format_kroner(capital)} kr; årets resultat er {format_kroner(result)} kr."
            " Egenkapitalen kan være lavere enn forsvarlig ut fra risikoen ved og omfanget av"
            " virksomheten (aksjeloven § 3-4), og styret skal da behandle saken etter § 3-5."
            " Det er usikkerhet knyttet til fortsatt drift. Årsregnskapet er satt opp under"
            " forutsetning om fortsatt drift."
        )
    return _note("fortsatt_drift", "Fortsatt drift", text)


def _salaries(snapshot, amounts, year, inputs):
    """§ 7-38 salary specification and § 7-43 full-time equivalents; nothing is said of the
    employees or the pension scheme that the user has not answered."""
    split = filed_salary_split(snapshot, amounts)
    labels = dict(zip(("salaries", "employer_tax", "pension", "other"), SALARY_ROWS, strict=False))
    rows = [[labels[name], *(money(v) for v in split[name])] for name in labels]
    totals = [sum((v[i] for v in split.values()), ZERO) for i in (0, 1)]
    rows.append(["Sum", money(totals[0]), money(totals[1])])
    footer = []
    fte = number_answer(inputs, "full_time_equivalents")
    if fte is not None and fte == 0 and not totals[0]:
        footer.append("Selskapet har ikke hatt ansatte i regnskapsåret (0 årsverk).")
    elif fte is not None:
        footer.append(f"Selskapet har hatt {fte.normalize():f} årsverk i regnskapsåret.")
    scheme = answer(inputs, "pension_scheme")
    if fte and scheme is True:
        footer.append(
            "Selskapet er pliktig til å ha tjenestepensjonsordning etter lov om obligatorisk"
            " tjenestepensjon, og har en ordning som tilfredsstiller kravene."
        )
    elif fte and scheme is False:
        footer.append(
            "Selskapet er ikke pliktig til å ha tjenestepensjonsordning etter lov om"
            " obligatorisk tjenestepensjon."
        )
    body = {"columns": ["", str(year), str(year - 1)], "rows": rows}
    return _note(
        "lonnskostnader", "Lønnskostnader og antall årsverk", body, [SALARY_LINE], " ".join(footer)
    )


def _fixed_assets(snapshot, amounts, inputs):
    """§ 7-39 for the period's real dates. The ledger's balances give the book values and the
    year's depreciation; cost, additions and disposals come from ``inputs["fixed_assets"]``
    (``{"tangible"|"intangible": {"cost_start", "additions", "disposals"}}``, amounts), and the
    accumulated depreciation is then cost less book value."""
    start, end = period_dates(snapshot)
    classes = {"tangible": TANGIBLE_LINES, "intangible": INTANGIBLE_LINES}
    book = {k: (total(amounts, codes, 1), total(amounts, codes, 0)) for k, codes in classes.items()}
    depreciation = depreciation_split(snapshot, amounts)
    shown = [k for k in classes if any(book[k]) or depreciation[k]]
    if not shown:
        return None
    given = answer(inputs, "fixed_assets") or {}
    labels = {suffix: label for label, suffix in asset_rows(start, end).items()}
    columns = {"tangible": "Varige driftsmidler", "intangible": "Immaterielle eiendeler"}
    table = {k: {} for k in shown}
    for kind in shown:
        cost = given.get(kind)
        values = table[kind]
        if cost:
            values["cost_start"] = Decimal(kroner(cost["cost_start"]))
            values["additions"] = Decimal(kroner(cost.get("additions") or 0))
            values["disposals"] = Decimal(kroner(cost.get("disposals") or 0))
            values["cost_end"] = values["cost_start"] + values["additions"] - values["disposals"]
            values["accumulated_depreciation"] = values["cost_end"] - book[kind][1]
        else:
            values["book_value_start"] = book[kind][0]
        values["book_value_end"] = book[kind][1]
        values["depreciation_year"] = depreciation[kind]
    order = [
        "cost_start",
        "book_value_start",
        "additions",
        "disposals",
        "cost_end",
        "accumulated_depreciation",
        "book_value_end",
        "depreciation_year",
    ]
    labels["book_value_start"] = f"Balanseført verdi {norwegian_date(start)}"
    rows = [
        [labels[row], *(money(table[k][row]) if row in table[k] else "" for k in shown)]
        for row in order
        if any(row in table[k] for k in shown)
    ]
    body = {"columns": ["", *(columns[k] for k in shown)], "rows": rows}
    codes = [c for c in (*INTANGIBLE_LINES, *TANGIBLE_LINES) if any_amount(amounts, (c,))]
    codes += [c for c in (DEPRECIATION_LINE, IMPAIRMENT_LINE) if any_amount(amounts, (c,))]
    footer = "Driftsmidlene avskrives lineært over forventet økonomisk levetid."
    return _note(
        "varige_driftsmidler", "Varige driftsmidler og immaterielle eiendeler", body, codes, footer
    )


def _receivables_and_debt(amounts, inputs, year):
    """§ 7-40. The ledger gives the long-term receivables (203) and the guarantees off the
    balance sheet (16920); the rest is the user's answer, left out while unanswered."""
    long_debt = total(amounts, LONG_TERM_DEBT_LINES)
    derived = {
        "receivables_due_after_one_year": total(amounts, (LONG_TERM_RECEIVABLES,)),
        "guarantees_total": total(amounts, GUARANTEE_LINES[:1]),
    }
    values = {}
    for _label, name in DEBT_ROWS.items():
        given = number_answer(inputs, name)
        if given or (given is not None and not derived.get(name)):
            values[name] = given
        elif derived.get(name):
            values[name] = derived[name]
    if not long_debt and not any(values.values()):
        return None
    rows = [["Langsiktig gjeld", money(long_debt)]] if long_debt else []
    rows += [[label, money(values[name])] for label, name in DEBT_ROWS.items() if name in values]
    codes = [c for c in (LONG_TERM_RECEIVABLES, *LONG_TERM_DEBT_LINES) if any_amount(amounts, (c,))]
    body = {"columns": ["", str(year)], "rows": rows}
    return _note("fordringer_gjeld", "Fordringer og gjeld, pant og garantier", body, codes)


def _group_companies(snapshot, amounts, inputs, year):
    """§ 7-36: amounts owed by and to group companies, associates and joint ventures, security
    for group companies, and the parent that consolidates the company."""
    joint = [ZERO, ZERO]
    for account in line_accounts(snapshot, ASSOCIATE_RECEIVABLE_LINE):
        if (account.get("code") or "").startswith(JOINT_VENTURE_ACCOUNTS):
            joint[0] += to_decimal(account.get("amount"))
            joint[1] += to_decimal(account.get("prior_amount"))
    associates = amounts.get(ASSOCIATE_RECEIVABLE_LINE, (ZERO, ZERO))
    joint = [Decimal(kroner(v)) for v in joint]
    figures = {
        "group_receivables": [total(amounts, GROUP_RECEIVABLE_LINES, i) for i in (0, 1)],
        "associate_receivables": [associates[i] - joint[i] for i in (0, 1)],
        "joint_venture_receivables": joint,
        "group_long_term_debt": list(amounts.get(GROUP_LONG_TERM_DEBT, (ZERO, ZERO))),
        "group_short_term_debt": list(amounts.get(GROUP_SHORT_TERM_DEBT, (ZERO, ZERO))),
    }
    rows = [
        [label, money(figures[name][0]), money(figures[name][1])]
        for label, name in GROUP_ROWS.items()
        if name in figures and any(figures[name])
    ]
    rows += [
        [label, money(number_answer(inputs, name)), ""]
        for label, name in GROUP_SECURITY_ROWS.items()
        if number_answer(inputs, name)
    ]
    investments = [
        f"{label}: {format_kroner(amounts[code][0])} kr"
        for code, label in GROUP_INVESTMENT_LINES.items()
        if amounts.get(code, (ZERO,))[0]
    ]
    footer = [". ".join(investments) + "." if investments else ""]
    parent = answer(inputs, "consolidating_parent_name")
    if answer(inputs, "consolidated_by_parent") and parent:
        address = answer(inputs, "consolidating_parent_address")
        footer.append(
            f"Selskapet inngår i konsernregnskapet til {parent}"
            + (f", {address}." if address else ".")
        )
    if answer(inputs, "group_companies_text"):
        footer.append(inputs["group_companies_text"])
    if not rows and not any(footer):
        return None
    codes = [
        c
        for c in (*GROUP_INVESTMENT_LINES, *GROUP_RECEIVABLE_LINES, ASSOCIATE_RECEIVABLE_LINE)
        + (GROUP_LONG_TERM_DEBT, GROUP_SHORT_TERM_DEBT)
        if any_amount(amounts, (c,))
    ]
    footer = " ".join(part for part in footer if part)
    if not rows:
        return _note("konsernselskaper", "Konsern og tilknyttede selskaper", footer, codes)
    body = {"columns": ["", str(year), str(year - 1)], "rows": rows}
    return _note("konsernselskaper", "Konsern og tilknyttede selskaper", body, codes, footer)


def _extraordinary(inputs):
    """§ 7-41: income and costs of extraordinary size or nature. The ledger cannot tell which
    they are: ``inputs["extraordinary_items"]`` = ``[{"kind": "income" | "cost",
    "description", "amount"}]``."""
    items = answer(inputs, "extraordinary_items") or []
    if not items:
        return None
    rows, totals = [], {"income": ZERO, "cost": ZERO}
    for kind, label in (("income", "Inntekt"), ("cost", "Kostnad")):
        for item in (i for i in items if i.get("kind") == kind):
            amount = Decimal(kroner(item["amount"]))
            totals[kind] += amount
            rows.append([f"{label}: {item['description']}", money(amount)])
    rows += [
        [f"Sum ekstraordinære {name}", money(totals[kind])]
        for kind, name in (("income", "inntekter"), ("cost", "kostnader"))
        if totals[kind]
    ]
    body = {"columns": ["", "Beløp"], "rows": rows}
    footer = answer(inputs, "extraordinary_text")
    return _note(
        "ekstraordinaere_poster", "Ekstraordinære inntekter og kostnader", body, (), footer
    )


def _manager_loans(snapshot, amounts, inputs):
    """§ 7-45: loans and security to the general manager, board members and shareholders.
    Loans are the ledger's own receivables on them (:func:`related_party_balances`); security,
    rates and terms are the user's answers."""
    end = norwegian_date(period_dates(snapshot)[1])
    balances = related_party_balances(snapshot)
    loans = {
        "board": Decimal(kroner(balances["board"]["amount"])),
        "others": Decimal(kroner(balances["management"]["amount"])),
    }
    legacy = number_answer(inputs, "manager_loans")
    if legacy and not loans["others"]:
        loans["others"] = Decimal(kroner(legacy))
    security = {
        "board": number_answer(inputs, "manager_security_board"),
        "others": number_answer(inputs, "manager_security_others"),
    }
    if security["others"] is None and security["board"] is None:
        legacy = number_answer(inputs, "manager_security")
        if legacy is not None:
            security = {"board": ZERO, "others": Decimal(kroner(legacy))}
    shareholders = Decimal(kroner(balances["shareholders"]["amount"]))
    extra = []
    if shareholders:
        extra.append(f"Lån til aksjonærer utgjør {format_kroner(shareholders)} kr per {end}.")
    if answer(inputs, "manager_loans_text"):
        extra.append(inputs["manager_loans_text"])
    title = "Lån og sikkerhetsstillelse til ledende personer mv."
    if not any(loans.values()) and not any(security.values()):
        if None in security.values():
            text = (
                f"Det er ikke bokført lån til daglig leder, styremedlemmer eller aksjonærer per"
                f" {end}."
                if not shareholders
                else ""
            )
        else:
            text = (
                "Selskapet har ikke gitt lån eller stilt sikkerhet for daglig leder,"
                " styremedlemmer, aksjonærer eller deres nærstående."
                if not shareholders
                else "Selskapet har ikke gitt lån eller stilt sikkerhet for daglig leder eller"
                " styremedlemmer."
            )
        return _note("lan_ledende", title, " ".join(p for p in (text, *extra) if p))
    rows = [["Lån", money(loans["board"]), money(loans["others"])]]
    if any(v is not None for v in security.values()):
        rows.append(
            ["Sikkerhetsstillelse", *(money(security[k] or 0) for k in ("board", "others"))]
        )
    for label, base in list(LOAN_ROWS.items())[2:]:  # rate, terms and the year's changes
        cells = [answer(inputs, f"{base}_{k}") for k in ("board", "others")]
        as_text = base in ("manager_loans_rate", "manager_loans_terms")
        if any(c is not None for c in cells):
            rows.append(
                [label, *("" if c is None else str(c) if as_text else money(c) for c in cells)]
            )
    body = {"columns": ["", "Styret", "Andre"], "rows": rows}
    return _note("lan_ledende", title, body, [], " ".join(extra))


def _own_shares(amounts, inputs):
    """§ 7-42: the ledger's own shares (7131) and the count the user gave."""
    own = amounts.get(OWN_SHARES, (ZERO,))[0]
    count = int(answer(inputs, "own_shares_count") or 0)
    if not own and not count:
        return _note("egne_aksjer", "Egne aksjer", "Selskapet eier ingen egne aksjer.", [])
    text = f"Selskapet eier {count} egne aksjer, bokført med {format_kroner(-own)} kr mot"
    text += " egenkapitalen."
    nominal = number_answer(inputs, "own_shares_nominal_value")
    if nominal:
        text += f" Aksjenes pålydende er {nominal.normalize():f} kr."
    return _note("egne_aksjer", "Egne aksjer", text, [OWN_SHARES])


def _share_capital(snapshot, amounts, inputs):
    capital = amounts.get(SHARE_CAPITAL, (ZERO,))[0]
    rows = [[name, str(shares)] for name, shares in answer(inputs, "shareholders") or ()]
    end = norwegian_date(period_dates(snapshot)[1])
    text = f"Aksjekapitalen per {end} er {format_kroner(capital)} kr."
    if answer(inputs, "share_count"):
        text += f" Den består av {inputs['share_count']} aksjer."
    if not rows:
        return _note("aksjekapital", "Aksjekapital og aksjonærer", text, [SHARE_CAPITAL])
    body = {"columns": ["Aksjonær", "Antall aksjer"], "rows": rows}
    return _note("aksjekapital", "Aksjekapital og aksjonærer", body, [SHARE_CAPITAL], text)


def _equity(snapshot, amounts):
    if not any(amounts.get(EQUITY, (ZERO, ZERO))):
        return None
    start, end = (norwegian_date(d) for d in period_dates(snapshot))

    def columns(index):
        capital = total(amounts, (SHARE_CAPITAL, OWN_SHARES), index)
        premium = total(amounts, (SHARE_PREMIUM,), index)
        equity = total(amounts, (EQUITY,), index)
        return [capital, premium, equity - capital - premium, equity]

    opening, closing = columns(1), columns(0)
    result = total(amounts, (RESULT,))
    dividend = -total(amounts, DIVIDEND_LINES)
    contribution = total(amounts, (GROUP_CONTRIBUTION_RECEIVED,)) - total(
        amounts, (GROUP_CONTRIBUTION_GIVEN,)
    )
    moves = [
        ("Årets resultat", [ZERO, ZERO, result, result]),
        ("Utbytte", [ZERO, ZERO, dividend, dividend]),
        ("Konsernbidrag", [ZERO, ZERO, contribution, contribution]),
    ]
    rest = [
        e - s - sum(m[1][i] for m in moves)
        for i, (s, e) in enumerate(zip(opening, closing, strict=True))
    ]
    rows = [[f"Egenkapital {start}", *map(money, opening)]]
    rows += [[label, *map(money, values)] for label, values in moves if any(values)]
    if any(rest):
        rows.append(["Andre endringer", *map(money, rest)])
    rows.append([f"Egenkapital {end}", *map(money, closing)])
    body = {"columns": ["", "Aksjekapital", "Overkurs", "Annen egenkapital", "Sum"], "rows": rows}
    return _note("egenkapital", "Egenkapital", body, [EQUITY])


def _further_information(inputs):
    """§ 7-46: what else the user says is needed to judge the accounts."""
    text = answer(inputs, "further_information")
    return text and _note("ytterligere_opplysninger", "Ytterligere opplysninger", text)


def generate_notes(snapshot, inputs=None):
    """The generated notes of ``snapshot``, numbered, in filing order.

    ``inputs`` (see the module docstring: ``None`` = unanswered) holds ``full_time_equivalents``,
    ``pension_scheme``, ``going_concern_uncertain``, ``going_concern_text``, ``fixed_assets``,
    ``receivables_due_after_one_year``, ``debt_due_after_five_years``, ``secured_debt``,
    ``pledged_assets_book_value``, ``guarantees_total``, ``manager_security_board``,
    ``manager_security_others`` (legacy ``manager_security``, ``manager_loans``), the
    ``manager_loans_{rate,terms,repaid,written_off,waived}_{board,others}``,
    ``manager_loans_text``, ``consolidated_by_parent``, ``consolidating_parent_name``,
    ``consolidating_parent_address``, ``group_pledges``, ``group_other_security``,
    ``group_guarantees``, ``group_companies_text``, ``extraordinary_items``,
    ``extraordinary_text``, ``own_shares_count``, ``own_shares_nominal_value``, ``share_count``,
    ``shareholders`` (``[(name, shares)]``), ``further_information``.
    """
    inputs = inputs if inputs is not None else {}
    year = int(snapshot["date_to"][:4])
    amounts = filed_amounts(snapshot)
    notes = [
        _principles(amounts),
        _going_concern(snapshot, amounts, inputs),
        _salaries(snapshot, amounts, year, inputs),
        _fixed_assets(snapshot, amounts, inputs),
        _receivables_and_debt(amounts, inputs, year),
        _group_companies(snapshot, amounts, inputs, year),
        _extraordinary(inputs),
        _manager_loans(snapshot, amounts, inputs),
        _own_shares(amounts, inputs),
        _share_capital(snapshot, amounts, inputs),
        _equity(snapshot, amounts),
        _further_information(inputs),
    ]
    return number_notes([n for n in notes if n], snapshot)


# Notes without a figure of their own still have a place among the lines: loans to managers
# sit in other receivables, own shares beside the share capital, extraordinary items in the
# result; the further information closes the notes.
ANCHORS = {
    "lan_ledende": OTHER_RECEIVABLES,
    "egne_aksjer": OWN_SHARES,
    "ekstraordinaere_poster": RESULT_BEFORE_TAX,
    "ytterligere_opplysninger": LAST_LINE,
}


def number_notes(notes, snapshot):
    """Sort ``notes`` (unanchored first, then by the form position of their first line) and
    number them from 1."""
    position = {line["code"]: i for i, line in enumerate(snapshot["lines"]) if line.get("code")}
    last = len(snapshot["lines"])

    def order(indexed):
        index, note = indexed
        if note.get("key") == "ytterligere_opplysninger":
            return (1, last, index)
        codes = list(note.get("line_codes") or ())
        if note.get("key") in ANCHORS:
            codes.append(ANCHORS[note["key"]])
        places = [position[c] for c in codes if c in position]
        return (1, min(places), index) if places else (0, 0, index)

    ordered = [note for _i, note in sorted(enumerate(notes), key=order)]
    return [dict(note, note_number=n) for n, note in enumerate(ordered, start=1)]


# ----------------------------------------------------------------------------------------------
# Structured values
# ----------------------------------------------------------------------------------------------


# Answers filed as given (structured fields with no note row behind them).
ANSWERED_FIELDS = (
    "own_shares_nominal_value",
    "consolidated_by_parent",
    "consolidating_parent_name",
    "consolidating_parent_address",
    "intangible_useful_life",
    "intangible_depreciation_plan",
)


def filing_notes(snapshot, inputs, notes):
    """What reaches BRG of ``notes`` (the filing's notes as the user sees them, seed shape):
    ``{"values", "placement", "attachment_required"}`` of ``brg_notes.route_notes``, with the
    answers that have their own fields added to ``values`` (full-time equivalents, going
    concern, own shares, the consolidating parent). Unanswered ones stay out."""
    routed = route_notes(notes, (snapshot["date_from"], snapshot["date_to"]))
    values = routed["values"]
    fte = number_answer(inputs, "full_time_equivalents")
    if fte is not None:
        values["full_time_equivalents"] = format(fte.normalize(), "f")
    uncertain = going_concern_answer(inputs, snapshot)
    if uncertain is not None:
        values["going_concern_uncertain"] = bool(uncertain)
    count = answer(inputs, "own_shares_count")
    if count:
        values["own_shares_count"] = int(count)
        nominal = number_answer(inputs, "own_shares_nominal_value")
        capital = filed_amounts(snapshot).get(SHARE_CAPITAL, (ZERO,))[0]
        if nominal and capital:  # § 7-42: the share of the share capital they make up
            percent = (int(count) * nominal * 100 / capital).quantize(CENT, ROUND_HALF_UP)
            values["own_shares_capital_percent"] = format(percent.normalize(), "f")
    for name in ANSWERED_FIELDS:
        if answer(inputs, name) is not None:
            values[name] = inputs[name]
    routed["values"] = {k: v for k, v in values.items() if v not in (None, "", [])}
    return routed


def note_values(snapshot, inputs, notes):
    """The structured note fields of RR-0002-U (``tools.brg_underskjema.NOTE_FIELDS``) for
    ``notes``: :func:`filing_notes`' ``values``."""
    return filing_notes(snapshot, inputs or {}, notes)["values"]
