"""Year-end allocation (årsdisponering) under Norwegian company and tax law.

Plain Python, no ``odoo`` import: the model hands in the statement snapshot of the year being
closed (the engine's dict, see docs/architecture.md) and the parsed inputs
(``allocation_inputs.parse_inputs``), and gets back plain dicts of ``Decimal`` that
``to_json`` turns into the API's strings.

- ``max_dividend``: the lawful maximum dividend (aksjeloven § 8-1), every component visible;
- ``group_contribution_checks``: konsernbidrag (skatteloven §§ 10-2, 10-4; aksjeloven § 8-5);
- ``final_refusals``: why a final allocation may not be posted.

Field codes (orid) are BRG's, as in RR-0002-U and the statement snapshot.
"""

from decimal import Decimal

from .allocation_entry import ACCOUNT_GC_GIVEN, ACCOUNTS_DIVIDEND
from .allocation_inputs import ZERO, line_amount, lines_amount, snapshot_lines

# BRG field codes of the statement lines the law reads.
EQUITY_TOTAL = "250"
SHARE_CAPITAL = "20488"
OWN_SHARES = "7131"
FUNDS = "27579"  # fund for valuation differences and for unrealised gains (204x)
DIVIDEND_RESERVE = "23857"  # "Avsatt utbytte" kept inside equity
RESULT_BEFORE_TAX = "167"
YEAR_RESULT = "172"
# Allocation rows that move equity out of the company (to dividend / group debt).
DISTRIBUTION_ROWS = ("6112", "38808", "38811", "36636")
EQUITY_LEAVES = ("20488", "7131", "2585", "39221", "17110", "27579", "23857", "3274", "249")

GROUP_THRESHOLD = Decimal("90")  # skatteloven § 10-4: *more than* nine tenths
LIMITED_COMPANY_FORMS = ("AS", "ASA")


# ---------------------------------------------------------------------------------------------
# Reading the snapshot
# ---------------------------------------------------------------------------------------------


def _dec(value):
    return Decimal(str(value)) if value not in (None, "") else ZERO


def _sources(lines, codes):
    """The accounts feeding the given lines, each with its line's field code."""
    return [
        {
            "line_code": code,
            "account_id": account.get("account_id"),
            "code": account.get("code", ""),
            "name": account.get("name", ""),
            "amount": _dec(account.get("amount")),
        }
        for code in codes
        for account in (lines.get(code) or {}).get("accounts", [])
        if _dec(account.get("amount"))
    ]


# The ceiling's components: (key, label, operation, field codes of the amount, field codes of
# the source accounts). "included" is shown with its figure but adds nothing: under Norwegian
# GAAP own shares are already deducted inside equity (nominal on 7131, the excess against
# other equity), and share capital (20488) is the gross registered capital.
BALANCE_COMPONENTS = (
    ("equity", "Sum egenkapital (med årets resultat)", "add", (EQUITY_TOTAL,), EQUITY_LEAVES),
    (
        "distributions_booked",
        "Utbytte og konsernbidrag allerede bokført for året",
        "add",
        DISTRIBUTION_ROWS,
        DISTRIBUTION_ROWS,
    ),
    ("share_capital", "Aksjekapital", "subtract", (SHARE_CAPITAL,), (SHARE_CAPITAL,)),
    (
        "bound_funds",
        "Bundne fond (fond for vurderingsforskjeller og for urealiserte gevinster)",
        "subtract",
        (FUNDS,),
        (FUNDS,),
    ),
    (
        "dividend_reserve",
        "Avsatt utbytte i egenkapitalen",
        "subtract",
        (DIVIDEND_RESERVE,),
        (DIVIDEND_RESERVE,),
    ),
    (
        "own_shares",
        "Egne aksjer (allerede trukket fra i egenkapitalen)",
        "included",
        (OWN_SHARES,),
        (OWN_SHARES,),
    ),
)
# Entered by the user in structured_data, each subtracted.
INPUT_COMPONENTS = (
    ("dividends_after_balance_date", "Utbytte vedtatt etter balansedagen"),
    ("group_contributions_after_balance_date", "Konsernbidrag ytt etter balansedagen"),
    ("credit_after_balance_date", "Kreditt og sikkerhet ytt etter balansedagen (§§ 8-7 til 8-10)"),
)


def _component(key, label, operation, amount, source, accounts=()):
    return {
        "key": key,
        "label": label,
        "operation": operation,
        "amount": amount,
        "effect": {"add": amount, "subtract": -amount}.get(operation, ZERO),
        "source": source,
        "accounts": list(accounts),
        "included_in_equity": operation == "included",
    }


# ---------------------------------------------------------------------------------------------
# Lawful maximum dividend (aksjeloven § 8-1)
# ---------------------------------------------------------------------------------------------


def max_dividend(snapshot, inputs, basis):
    """The dividend ceiling from the balance sheet of the year being closed.

    ``basis`` says which balance was used: ``{"source": "ledger" | "filed_snapshot",
    "reference": ...}``. The year's result counts in equity before any allocation: the
    engine carries an unallocated result in other equity, and allocations already booked
    (dividend, given group contribution: equity moved to debt) are added back.
    """
    lines = snapshot_lines(snapshot)
    components = [
        _component(
            key,
            label,
            operation,
            sum((line_amount(lines, code) for code in amount_codes), ZERO),
            "balance_sheet" if key != "distributions_booked" else "income_statement",
            _sources(lines, source_codes),
        )
        for key, label, operation, amount_codes, source_codes in BALANCE_COMPONENTS
    ] + [
        _component(key, label, "subtract", inputs[key], "input") for key, label in INPUT_COMPONENTS
    ]
    free_equity = sum((c["effect"] for c in components), ZERO)
    findings = [
        {"severity": "warning", "code": "BASIS_HAS_ERRORS", "detail": finding.get("code")}
        for finding in snapshot.get("findings", [])
        if finding.get("severity") == "error"
    ]
    if line_amount(lines, OWN_SHARES) > ZERO:
        findings.append({"severity": "warning", "code": "OWN_SHARES_POSITIVE", "detail": None})
    return {
        "basis": {
            "source": basis.get("source", "ledger"),
            "reference": basis.get("reference"),
            "date_from": snapshot.get("date_from"),
            "date_to": snapshot.get("date_to"),
        },
        "year_result": line_amount(lines, YEAR_RESULT),
        "components": components,
        "free_equity": free_equity,
        "total": max(free_equity, ZERO),
        "findings": findings,
    }


# ---------------------------------------------------------------------------------------------
# Group contribution (konsernbidrag)
# ---------------------------------------------------------------------------------------------


def _qualifying_chain(parties, party_id):
    """``party_id`` and the parents above it reached through links of more than 90 % of
    shares *and* votes; every link visited is reported, qualifying or not."""
    chain, links, seen = [party_id], [], {party_id}
    current = parties.get(party_id)
    while current and current.get("parent_id") and current["parent_id"] not in seen:
        shares = _dec(current.get("shares_pct"))
        votes = _dec(current.get("votes_pct"))
        qualifies = shares > GROUP_THRESHOLD and votes > GROUP_THRESHOLD
        links.append(
            {
                "child_id": current["id"],
                "parent_id": current["parent_id"],
                "shares_pct": shares,
                "votes_pct": votes,
                "qualifies": qualifies,
            }
        )
        if not qualifies:
            break
        chain.append(current["parent_id"])
        seen.add(current["parent_id"])
        current = parties.get(current["parent_id"])
    return chain, links


def _group_relation(parties, giver_id, recipient_id):
    giver_chain, giver_links = _qualifying_chain(parties, giver_id)
    recipient_chain, recipient_links = _qualifying_chain(parties, recipient_id)
    common = next((p for p in giver_chain if p in recipient_chain), None)
    if common == giver_id:
        relation = "parent_to_subsidiary"
    elif common == recipient_id:
        relation = "subsidiary_to_parent"
    else:
        relation = "sister_companies" if common else None
    return {
        "relation": relation,
        "common_parent_id": common,
        "links": giver_links + [link for link in recipient_links if link not in giver_links],
        "threshold_pct": GROUP_THRESHOLD,
    }


def _is_limited_company(party):
    return bool(
        party
        and (party.get("country_code") or "").upper() == "NO"
        and (party.get("org_form") or "").upper() in LIMITED_COMPANY_FORMS
    )


def group_contribution_checks(snapshot, inputs, ceiling, parties, giver_id):
    """Each check with ``passed``, ``blocking`` and the figures behind it.

    ``parties`` maps an id to ``{"id", "name", "country_code", "org_form", "parent_id",
    "shares_pct", "votes_pct"}`` for the giver, the recipient and their parents. The tax cap
    (skatteloven § 10-2) limits the deduction, not the contribution: it is reported and
    checked, but does not block.
    """
    amount = inputs["group_contribution"]
    recipient_id = inputs["recipient_business_partner_id"]
    recipient = parties.get(recipient_id) if recipient_id else None
    giver = parties.get(giver_id)
    lines = snapshot_lines(snapshot)

    if inputs["taxable_income"] is not None:
        taxable, tax_source = inputs["taxable_income"], "entered"
    else:
        taxable, tax_source = line_amount(lines, RESULT_BEFORE_TAX), "result_before_tax"
    deductible = min(amount, max(taxable, ZERO))
    tax_cap = {
        "taxable_income": taxable,
        "source": tax_source,
        "deductible": deductible,
        "excess": amount - deductible,
    }
    result = {
        "amount": amount,
        "received": inputs["group_contribution_received"],
        "recipient": recipient and {k: recipient.get(k) for k in ("id", "name")},
        "tax_cap": tax_cap,
        "checks": [],
        "passed": True,
    }
    if not amount:
        return result

    relation = _group_relation(parties, giver_id, recipient_id) if recipient else None
    distribution = inputs["dividend"] + amount
    checks = [
        (
            "recipient",
            bool(recipient) and recipient_id != giver_id,
            True,
            {"recipient_id": recipient_id, "giver_id": giver_id},
        ),
        (
            "norwegian_limited_companies",
            _is_limited_company(giver) and _is_limited_company(recipient),
            True,
            {
                role: party and {k: party.get(k) for k in ("id", "country_code", "org_form")}
                for role, party in (("giver", giver), ("recipient", recipient))
            },
        ),
        (
            "group_ownership",
            bool(relation and relation["relation"]),
            True,
            relation or {"relation": None, "links": [], "threshold_pct": GROUP_THRESHOLD},
        ),
        (
            "dividend_capacity",
            distribution <= ceiling["total"],
            True,
            {
                "dividend": inputs["dividend"],
                "group_contribution": amount,
                "total_distribution": distribution,
                "max_dividend": ceiling["total"],
                "remaining": ceiling["total"] - distribution,
            },
        ),
        ("tax_cap", amount <= max(taxable, ZERO), False, tax_cap),
    ]
    result["checks"] = [
        {"key": key, "passed": passed, "blocking": blocking, "figures": figures}
        for key, passed, blocking, figures in checks
    ]
    result["passed"] = all(c["passed"] for c in result["checks"] if c["blocking"])
    return result


# ---------------------------------------------------------------------------------------------
# Refusals of a final allocation
# ---------------------------------------------------------------------------------------------


def effective_inputs(inputs, lines):
    """The inputs raised to what the lines actually book: a dividend or group contribution
    posted on the lines is checked even when ``structured_data`` says less."""
    booked_dividend = lines_amount(lines, ACCOUNTS_DIVIDEND)
    booked_gc = lines_amount(lines, (ACCOUNT_GC_GIVEN,))
    return {
        **inputs,
        "dividend": max(inputs["dividend"], booked_dividend),
        "group_contribution": max(inputs["group_contribution"], booked_gc),
    }


def final_refusals(inputs, ceiling, group_contribution):
    """Reasons a final allocation is refused, each ``{"code", "field", "figures"}``."""
    refusals = []
    if not inputs["board_confirmation"]:
        refusals.append(
            {"code": "board_confirmation_missing", "field": "board_confirmation", "figures": {}}
        )
    if inputs["dividend"] > ceiling["total"]:
        refusals.append(
            {
                "code": "dividend_exceeds_maximum",
                "field": "dividend",
                "figures": {"dividend": inputs["dividend"], "max_dividend": ceiling["total"]},
            }
        )
    refusals += [
        {
            "code": "group_contribution_" + check["key"],
            "field": "group_contribution",
            "figures": check["figures"],
        }
        for check in group_contribution["checks"]
        if check["blocking"] and not check["passed"]
    ]
    return refusals
