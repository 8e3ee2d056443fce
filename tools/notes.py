"""The notes (noter) a small enterprise must give, generated from the statement snapshot.

Plain Python, no ``odoo`` import. ``generate_notes(snapshot, inputs)`` returns the notes in the
seed's shape (``note_number``, ``key``, ``title``, ``body_type``, ``body``, ``footer_text``) plus
``line_codes``, the field codes of the statement lines each note documents. ``note_values``
derives the structured RR-0002-U note fields from the same data and the (possibly edited) notes.

Notes are in Norwegian, as they are filed. Amounts in the bodies are exact decimal strings; the
PDF rounds them to whole kroner.

Numbering (DOMAIN.md §7): notes tied to no statement line (accounting principles, going
concern) come first, then the others in the order their first line appears on the form.
"""

from decimal import Decimal

from .note_shape import note_problems  # noqa: F401 - the check lives in note_shape

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SALARY_LINE = "81"
DEPRECIATION_LINE = "2139"
SHARE_CAPITAL = "20488"
OWN_SHARES = "7131"
SHARE_PREMIUM = "2585"
EQUITY = "250"
RESULT = "172"
OTHER_RECEIVABLES = "282"
LONG_TERM_RECEIVABLES = "203"
INTANGIBLE_LINES = ("7073", "205", "206")
TANGIBLE_LINES = ("1976", "1975", "1348", "7725")
LONG_TERM_DEBT_LINES = ("7147", "6091", "7150", "2256", "243", "242")
GUARANTEE_LINES = ("16920", "16922")
DIVIDEND_LINES = ("6112", "38808", "38811")
GROUP_CONTRIBUTION_RECEIVED, GROUP_CONTRIBUTION_GIVEN = "6113", "36636"
NOTE_KEYS = (
    "regnskapsprinsipper",
    "fortsatt_drift",
    "lonnskostnader",
    "varige_driftsmidler",
    "fordringer_gjeld",
    "lan_ledende",
    "egne_aksjer",
    "aksjekapital",
    "egenkapital",
    "ytterligere_opplysninger",
)

ACCOUNTING_PRINCIPLES = (
    "Årsregnskapet er satt opp i samsvar med regnskapsloven og god regnskapsskikk for "
    "små foretak. Driftsinntekter inntektsføres når de er opptjent, og kostnader "
    "sammenstilles med inntektene de hører til. Eiendeler bestemt til varig eie eller bruk "
    "er klassifisert som anleggsmidler; andre eiendeler er omløpsmidler. Fordringer som "
    "skal tilbakebetales innen ett år er klassifisert som omløpsmidler. Ved klassifisering "
    "av kortsiktig og langsiktig gjeld er tilsvarende kriterier lagt til grunn. Varige "
    "driftsmidler avskrives lineært over forventet levetid. Kundefordringer og andre "
    "fordringer er oppført til pålydende etter fradrag for avsetning til forventet tap. "
    "Skattekostnaden omfatter betalbar skatt for perioden."
)


def money(value):
    return str(Decimal(str(value or 0)).quantize(CENT))


def _amounts(snapshot):
    """``{code: (amount, prior_amount)}`` of every non-header line."""
    return {
        line["code"]: (Decimal(line["amount"] or 0), Decimal(line["prior_amount"] or 0))
        for line in snapshot["lines"]
        if line.get("code") and line.get("kind") != "header"
    }


def _line(snapshot, code):
    return next((line for line in snapshot["lines"] if line.get("code") == code), None)


def _in_range(code, low, high):
    return code[:4].isdigit() and low <= code[:4] <= high


def salary_split(snapshot):
    """Salaries, employer's tax, pension and other benefits of the payroll line, both years.

    NS 4102: 50xx–53xx salaries and fees, 54xx employer's tax, 5945–5959 pension, anything else
    on the line (other personnel costs) is other benefits.
    """
    split = {name: [ZERO, ZERO] for name in ("salaries", "employer_tax", "pension", "other")}
    line = _line(snapshot, SALARY_LINE) or {"accounts": []}
    for account in line.get("accounts") or ():
        code = account.get("code") or ""
        if _in_range(code, "5000", "5399"):
            name = "salaries"
        elif _in_range(code, "5400", "5499"):
            name = "employer_tax"
        elif _in_range(code, "5945", "5959"):
            name = "pension"
        else:
            name = "other"
        split[name][0] += Decimal(account["amount"] or 0)
        split[name][1] += Decimal(account["prior_amount"] or 0)
    return split


def _sum(amounts, codes, index=0):
    return sum((amounts.get(code, (ZERO, ZERO))[index] for code in codes), ZERO)


def _dec(inputs, name):
    return Decimal(str(inputs.get(name) or 0))


# ----------------------------------------------------------------------------------------------
# The notes
# ----------------------------------------------------------------------------------------------


def _note(key, title, body, line_codes=(), footer_text=None):
    body_type = "table" if isinstance(body, dict) else "text"
    note = {"key": key, "title": title, "body_type": body_type, "body": body}
    note["footer_text"] = footer_text or None
    note["line_codes"] = list(line_codes)
    return note


def _principles():
    return _note("regnskapsprinsipper", "Regnskapsprinsipper", ACCOUNTING_PRINCIPLES)


def _going_concern(amounts):
    equity, capital = amounts.get(EQUITY, (ZERO,))[0], amounts.get(SHARE_CAPITAL, (ZERO,))[0]
    if not capital or equity >= capital / 2:
        return None
    return _note(
        "fortsatt_drift",
        "Fortsatt drift",
        f"Selskapets egenkapital ({money(equity)}) er lavere enn halvparten av aksjekapitalen "
        f"({money(capital)}). Det er usikkerhet knyttet til fortsatt drift. Styret har "
        "vurdert situasjonen etter aksjeloven § 3-5 og legger forutsetningen om fortsatt "
        "drift til grunn.",
    )


def _salaries(snapshot, year, inputs):
    split = salary_split(snapshot)
    labels = (
        ("salaries", "Lønninger"),
        ("employer_tax", "Arbeidsgiveravgift"),
        ("pension", "Pensjonskostnader"),
        ("other", "Andre ytelser"),
    )
    rows = [[label, money(split[name][0]), money(split[name][1])] for name, label in labels]
    total = [sum((v[i] for v in split.values()), ZERO) for i in (0, 1)]
    rows.append(["Sum", money(total[0]), money(total[1])])
    fte = _dec(inputs, "full_time_equivalents")
    if fte:
        footer = f"Selskapet har hatt {fte.normalize():f} årsverk i regnskapsåret."
    else:
        footer = "Selskapet har ikke hatt ansatte i regnskapsåret (0 årsverk)."
    if fte and inputs.get("pension_scheme", True):
        footer += (
            " Selskapet er pliktig til å ha tjenestepensjonsordning etter lov om "
            "obligatorisk tjenestepensjon, og har en ordning som tilfredsstiller kravene."
        )
    body = {"columns": ["", str(year), str(year - 1)], "rows": rows}
    return _note("lonnskostnader", "Lønnskostnader og antall årsverk", body, [SALARY_LINE], footer)


def _fixed_assets(snapshot, amounts, year):
    rows, codes = [], []
    depreciation = amounts.get(DEPRECIATION_LINE, (ZERO, ZERO))[0]
    for code in INTANGIBLE_LINES + TANGIBLE_LINES:
        end, start = amounts.get(code, (ZERO, ZERO))
        if end or start:
            codes.append(code)
            rows.append([_line(snapshot, code)["label"], money(start), money(end)])
    if not rows:
        return None
    rows.append(["Sum", *(money(sum(Decimal(r[i]) for r in rows)) for i in (1, 2))])
    body = {"columns": ["", f"01.01.{year}", f"31.12.{year}"], "rows": rows}
    footer = (
        f"Årets avskrivninger utgjør {money(depreciation)}. Driftsmidlene avskrives lineært "
        "over forventet økonomisk levetid."
    )
    return _note(
        "varige_driftsmidler",
        "Varige driftsmidler og immaterielle eiendeler",
        body,
        codes + ([DEPRECIATION_LINE] if depreciation else []),
        footer,
    )


def _receivables_and_debt(amounts, inputs, year):
    long_debt = _sum(amounts, LONG_TERM_DEBT_LINES)
    items = (
        ("Fordringer med forfall senere enn ett år", "receivables_due_after_one_year"),
        ("Gjeld som forfaller senere enn fem år", "debt_due_after_five_years"),
        ("Gjeld sikret ved pant", "secured_debt"),
        ("Bokført verdi av pantsatte eiendeler", "pledged_assets_book_value"),
        ("Garantiansvar", "guarantees_total"),
    )
    values = {name: _dec(inputs, name) for _label, name in items}
    if not values["receivables_due_after_one_year"]:
        values["receivables_due_after_one_year"] = amounts.get(LONG_TERM_RECEIVABLES, (ZERO,))[0]
    if not values["guarantees_total"]:
        values["guarantees_total"] = _sum(amounts, GUARANTEE_LINES[:1])
    if not long_debt and not any(values.values()):
        return None
    rows = [["Langsiktig gjeld", money(long_debt)]]
    rows += [[label, money(values[name])] for label, name in items]
    codes = [c for c in (LONG_TERM_RECEIVABLES, *LONG_TERM_DEBT_LINES) if any(amounts.get(c, ()))]
    body = {"columns": ["", str(year)], "rows": rows}
    return _note("fordringer_gjeld", "Fordringer og gjeld, pant og garantier", body, codes)


def _manager_loans(inputs):
    loans, security = _dec(inputs, "manager_loans"), _dec(inputs, "manager_security")
    if not loans and not security:
        text = (
            "Selskapet har ikke gitt lån eller stilt sikkerhet for daglig leder, "
            "styremedlemmer, aksjonærer eller deres nærstående."
        )
    else:
        text = (
            f"Selskapet har gitt lån på {money(loans)} og stilt sikkerhet for {money(security)} "
            "til fordel for daglig leder, styremedlemmer, aksjonærer eller deres nærstående."
        )
        if inputs.get("manager_loans_text"):
            text += " " + inputs["manager_loans_text"]
    return _note("lan_ledende", "Lån og sikkerhetsstillelse til ledende personer mv.", text, [])


def _own_shares(amounts, inputs):
    own = amounts.get(OWN_SHARES, (ZERO,))[0]
    count = int(inputs.get("own_shares_count") or 0)
    if not own and not count:
        return _note("egne_aksjer", "Egne aksjer", "Selskapet eier ingen egne aksjer.", [])
    text = f"Selskapet eier {count} egne aksjer, bokført med {money(-own)} mot egenkapitalen."
    return _note("egne_aksjer", "Egne aksjer", text, [OWN_SHARES])


def _share_capital(amounts, inputs, year):
    capital = amounts.get(SHARE_CAPITAL, (ZERO,))[0]
    rows = [[name, str(shares)] for name, shares in inputs.get("shareholders") or ()]
    text = f"Aksjekapitalen per 31.12.{year} er {money(capital)}."
    if inputs.get("share_count"):
        text += f" Den består av {inputs['share_count']} aksjer."
    if not rows:
        return _note("aksjekapital", "Aksjekapital og aksjonærer", text, [SHARE_CAPITAL])
    body = {"columns": ["Aksjonær", "Antall aksjer"], "rows": rows}
    return _note("aksjekapital", "Aksjekapital og aksjonærer", body, [SHARE_CAPITAL], text)


def _equity(amounts, year):
    if not any(amounts.get(EQUITY, (ZERO, ZERO))):
        return None

    def columns(index):
        capital = _sum(amounts, (SHARE_CAPITAL, OWN_SHARES), index)
        premium = _sum(amounts, (SHARE_PREMIUM,), index)
        total = _sum(amounts, (EQUITY,), index)
        return [capital, premium, total - capital - premium, total]

    start, end = columns(1), columns(0)
    result = _sum(amounts, (RESULT,))
    dividend = -_sum(amounts, DIVIDEND_LINES)
    contribution = _sum(amounts, (GROUP_CONTRIBUTION_RECEIVED,)) - _sum(
        amounts, (GROUP_CONTRIBUTION_GIVEN,)
    )
    moves = [
        ("Årets resultat", [ZERO, ZERO, result, result]),
        ("Avsatt utbytte", [ZERO, ZERO, dividend, dividend]),
        ("Konsernbidrag", [ZERO, ZERO, contribution, contribution]),
    ]
    rest = [
        e - s - sum(m[1][i] for m in moves) for i, (s, e) in enumerate(zip(start, end, strict=True))
    ]
    rows = [[f"Egenkapital 01.01.{year}", *map(money, start)]]
    rows += [[label, *map(money, values)] for label, values in moves if any(values)]
    if any(rest):
        rows.append(["Andre endringer", *map(money, rest)])
    rows.append([f"Egenkapital 31.12.{year}", *map(money, end)])
    body = {"columns": ["", "Aksjekapital", "Overkurs", "Annen egenkapital", "Sum"], "rows": rows}
    return _note("egenkapital", "Egenkapital", body, [EQUITY])


def generate_notes(snapshot, inputs=None):
    """The generated notes of ``snapshot``, numbered, in filing order.

    ``inputs`` holds what the ledger does not know: ``full_time_equivalents``,
    ``pension_scheme``, ``receivables_due_after_one_year``, ``debt_due_after_five_years``,
    ``secured_debt``, ``pledged_assets_book_value``, ``guarantees_total``, ``manager_loans``,
    ``manager_security``, ``manager_loans_text``, ``own_shares_count``, ``share_count``,
    ``shareholders`` (``[(name, shares)]``).
    """
    inputs = inputs or {}
    year = int(snapshot["date_to"][:4])
    amounts = _amounts(snapshot)
    notes = [
        _principles(),
        _going_concern(amounts),
        _salaries(snapshot, year, inputs),
        _fixed_assets(snapshot, amounts, year),
        _receivables_and_debt(amounts, inputs, year),
        _manager_loans(inputs),
        _own_shares(amounts, inputs),
        _share_capital(amounts, inputs, year),
        _equity(amounts, year),
    ]
    return number_notes([n for n in notes if n], snapshot)


# Notes without a figure of their own still have a place among the lines: loans to managers
# sit in other receivables, own shares beside the share capital.
ANCHORS = {"lan_ledende": OTHER_RECEIVABLES, "egne_aksjer": OWN_SHARES}


def number_notes(notes, snapshot):
    """Sort ``notes`` (unanchored first, then by the form position of their first line) and
    number them from 1."""
    position = {line["code"]: i for i, line in enumerate(snapshot["lines"]) if line.get("code")}

    def order(indexed):
        index, note = indexed
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


def note_values(snapshot, inputs, notes):
    """The structured note fields of RR-0002-U (``tools.brg_underskjema.NOTE_FIELDS``)."""
    inputs = inputs or {}
    amounts = _amounts(snapshot)
    by_key = {note["key"]: note for note in notes}
    split = salary_split(snapshot)
    values = {"full_time_equivalents": format(_dec(inputs, "full_time_equivalents"), "f")}
    principles = by_key.get("regnskapsprinsipper")
    if principles and principles["body_type"] == "text" and principles["body"]:
        values["accounting_principles"] = principles["body"]
    going_concern = by_key.get("fortsatt_drift")
    values["going_concern_uncertain"] = bool(going_concern)
    if going_concern and going_concern["body_type"] == "text":
        values["going_concern_text"] = going_concern["body"]
    if "lonnskostnader" in by_key:
        names = ("salaries", "employer_tax", "pension_costs", "other_benefits")
        for name, part in zip(names, ("salaries", "employer_tax", "pension", "other"), strict=True):
            values[name], values[f"{name}_prior"] = map(money, split[part])
        values["salary_total"] = money(sum(v[0] for v in split.values()))
        values["salary_total_prior"] = money(sum(v[1] for v in split.values()))
    if "varige_driftsmidler" in by_key:
        values["tangible_book_value_end"] = money(_sum(amounts, TANGIBLE_LINES))
        values["intangible_book_value_end"] = money(_sum(amounts, INTANGIBLE_LINES))
        values["tangible_depreciation_year"] = money(_sum(amounts, (DEPRECIATION_LINE,)))
    for name in (
        "receivables_due_after_one_year",
        "debt_due_after_five_years",
        "secured_debt",
        "pledged_assets_book_value",
        "guarantees_total",
    ):
        if _dec(inputs, name):
            values[name] = money(_dec(inputs, name))
    if _dec(inputs, "manager_loans"):
        values["manager_loans_others"] = money(_dec(inputs, "manager_loans"))
    if _dec(inputs, "manager_security"):
        values["manager_security_others"] = money(_dec(inputs, "manager_security"))
    if inputs.get("own_shares_count"):
        values["own_shares_count"] = int(inputs["own_shares_count"])
    return {name: value for name, value in values.items() if value not in (None, "")}
