"""Year-end allocation (årsdisponering) under Norwegian company and tax law.

Plain Python, no ``odoo`` import: the model hands in the statement snapshot of the year being
closed (the engine's dict, see docs/architecture.md) and the parsed inputs
(``allocation_inputs.parse_inputs``), and gets back plain dicts of ``Decimal`` that
``to_json`` turns into the API's strings.

- ``max_dividend``: the lawful maximum dividend (aksjeloven § 8-1), every component visible
  with the paragraph it comes from;
- ``group_contribution_checks``: konsernbidrag (skatteloven §§ 10-2, 10-4; aksjeloven § 8-5);
- ``final_review``: why a final allocation may not be posted (refusals) and what it must show
  (warnings: the board's confirmation of § 8-1 (4) not recorded).

Field codes (orid) are BRG's, as in RR-0002-U and the statement snapshot.

Reading of § 8-1 behind the components: (1) net assets must cover the share capital as
registered when the dividend is decided and the other bound equity; (2) credit and security
for shareholders and their related parties (§§ 8-7 to 8-10) given before the balance date and
still standing are deducted; (3) so is what was distributed, given or bought after the balance
date within the same frame (dividends, group contributions, credit, own shares § 9-3, gifts
§ 8-6, capital-reduction payouts § 12-1 (1) nr. 2); (4) the board's judgement of sound equity
and liquidity (§ 3-4) is not a number.
"""

from decimal import Decimal

from .allocation_entry import ACCOUNT_GC_GIVEN, ACCOUNTS_DIVIDEND
from .allocation_inputs import ZERO, line_amount, lines_amount, snapshot_lines
from .note_figures import related_party_balances

# BRG field codes of the statement lines the law reads.
EQUITY_TOTAL = "250"
SHARE_CAPITAL = "20488"
UNREGISTERED_CAPITAL_INCREASE = "39221"
OWN_SHARES = "7131"
FUNDS = "27579"  # fund for valuation differences and for unrealised gains (204x)
DIVIDEND_RESERVE = "23857"  # "Avsatt utbytte" kept inside equity
RESULT_BEFORE_TAX = "167"
YEAR_RESULT = "172"
ORDINARY_DIVIDEND, ADDITIONAL_DIVIDEND, EXTRAORDINARY_DIVIDEND = "6112", "38808", "38811"
GROUP_CONTRIBUTION_GIVEN = "36636"
# The year-end allocations of this year's result, added back to get the ceiling before them.
YEAR_END_ALLOCATIONS = (ORDINARY_DIVIDEND, GROUP_CONTRIBUTION_GIVEN)
# Dividends paid out during the year (§ 8-2 (2) additional dividend on last year's accounts,
# § 8-2 a on an interim balance sheet) have left the company: they stay out of equity.
DIVIDENDS_PAID_IN_YEAR = (ADDITIONAL_DIVIDEND, EXTRAORDINARY_DIVIDEND)
EQUITY_LEAVES = ("20488", "7131", "2585", "39221", "17110", "27579", "23857", "3274", "249")

GROUP_THRESHOLD = Decimal("90")  # skatteloven § 10-4: *more than* nine tenths
LIMITED_COMPANY_FORMS = ("AS", "ASA")

# Entered by the user in structured_data, each subtracted: what happened after the balance date
# within the frame of the free equity (§ 8-1 (3)).
AFTER_BALANCE_DATE = (
    (
        "dividends_after_balance_date",
        "Utbytte vedtatt etter balansedagen",
        "aksjeloven § 8-1 (3), jf. §§ 8-2 (2) og 8-2 a",
    ),
    (
        "group_contributions_after_balance_date",
        "Konsernbidrag ytt etter balansedagen",
        "aksjeloven § 8-1 (3), jf. § 8-5",
    ),
    (
        "credit_after_balance_date",
        "Kreditt og sikkerhet ytt etter balansedagen",
        "aksjeloven § 8-1 (3), jf. §§ 8-7 til 8-10",
    ),
    (
        "own_shares_after_balance_date",
        "Vederlag for egne aksjer ervervet etter balansedagen",
        "aksjeloven § 8-1 (3), jf. § 9-3",
    ),
    (
        "gifts_after_balance_date",
        "Gaver gitt etter balansedagen",
        "aksjeloven § 8-1 (3), jf. § 8-6",
    ),
    (
        "capital_reduction_payouts_after_balance_date",
        "Utbetalt ved kapitalnedsetting etter balansedagen",
        "aksjeloven § 8-1 (3), jf. § 12-1 (1) nr. 2",
    ),
)


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


def _sum(lines, codes):
    return sum((line_amount(lines, code) for code in codes), ZERO)


def _component(key, label, operation, amount, source, paragraph, accounts=()):
    return {
        "key": key,
        "label": label,
        "operation": operation,
        "amount": amount,
        "effect": {"add": amount, "subtract": -amount}.get(operation, ZERO),
        "source": source,
        "paragraph": paragraph,
        "accounts": list(accounts),
        "included_in_equity": operation == "included",
    }


# ---------------------------------------------------------------------------------------------
# Lawful maximum dividend (aksjeloven § 8-1)
# ---------------------------------------------------------------------------------------------


def _capital_components(lines, inputs):
    """The share capital registered on the day of the decision (§ 8-1 (1)) and the part of a
    capital increase that is still unregistered then: paid in, but not free equity.

    Without an entered registered capital the balance sheet's 20488 stands for it. An entered
    capital above the balance sheet's covers that much of the unregistered increase; below it
    (a reduction registered since), its payout is a § 8-1 (3) input.
    """
    booked = line_amount(lines, SHARE_CAPITAL)
    increase = max(line_amount(lines, UNREGISTERED_CAPITAL_INCREASE), ZERO)
    registered = inputs.get("registered_share_capital")
    if registered is None:
        capital = _component(
            "share_capital",
            "Aksjekapital",
            "subtract",
            booked,
            "balance_sheet",
            "aksjeloven § 8-1 (1)",
            _sources(lines, (SHARE_CAPITAL,)),
        )
        unregistered = increase
    else:
        capital = _component(
            "share_capital",
            "Registrert aksjekapital på beslutningstidspunktet",
            "subtract",
            registered,
            "input",
            "aksjeloven § 8-1 (1)",
        )
        unregistered = max(increase - max(registered - booked, ZERO), ZERO)
    return [
        capital,
        _component(
            "unregistered_capital_increase",
            "Kapitalforhøyelse som ikke er registrert",
            "subtract",
            unregistered,
            "balance_sheet",
            "aksjeloven § 8-1 (1)",
            _sources(lines, (UNREGISTERED_CAPITAL_INCREASE,)),
        ),
    ]


def _credit_component(snapshot, inputs):
    """Credit and security for shareholders and their related parties given before the balance
    date and standing on it (§ 8-1 (2), §§ 8-7 to 8-10): the ledger's own receivables on owners,
    board members and the manager (NS 4102 1370-1385, 1574-1576, see
    ``note_figures.related_party_balances``) and the security entered by the user, less what was
    repaid or released before the decision."""
    balances = related_party_balances(snapshot)
    accounts = [account for group in balances.values() for account in group["accounts"]]
    standing = sum((a["amount"] for a in accounts), ZERO) + inputs["security_before_balance_date"]
    return _component(
        "credit_before_balance_date",
        "Kreditt og sikkerhet til aksjeeiere og nærstående på balansedagen",
        "subtract",
        max(standing - inputs["credit_repaid_before_decision"], ZERO),
        "balance_sheet",
        "aksjeloven § 8-1 (2), jf. §§ 8-7 til 8-10",
        accounts,
    )


def max_dividend(snapshot, inputs, basis):
    """The dividend ceiling from the balance sheet of the year being closed.

    ``basis`` says which balance was used: ``{"source": "ledger" | "filed_snapshot",
    "reference": ...}``. The year's result counts in equity before its allocation: the engine
    carries an unallocated result in other equity, and the year-end allocations already booked
    (ordinary dividend, given group contribution: equity moved to debt) are added back; the
    dividends paid out during the year are not. Every component names its paragraph.
    """
    lines = snapshot_lines(snapshot)
    components = [
        _component(
            "equity",
            "Sum egenkapital (med årets resultat)",
            "add",
            line_amount(lines, EQUITY_TOTAL),
            "balance_sheet",
            "aksjeloven § 8-1 (1)",
            _sources(lines, EQUITY_LEAVES),
        ),
        _component(
            "distributions_booked",
            "Utbytte og konsernbidrag allerede bokført for året",
            "add",
            _sum(lines, YEAR_END_ALLOCATIONS),
            "income_statement",
            "aksjeloven § 8-1 (1), jf. §§ 8-2 (1) og 8-5",
            _sources(lines, YEAR_END_ALLOCATIONS),
        ),
        _component(
            "dividends_paid_in_year",
            "Tilleggsutbytte og ekstraordinært utbytte utdelt i året (allerede trukket fra i"
            " egenkapitalen)",
            "included",
            _sum(lines, DIVIDENDS_PAID_IN_YEAR),
            "income_statement",
            "aksjeloven §§ 8-2 (2) og 8-2 a",
            _sources(lines, DIVIDENDS_PAID_IN_YEAR),
        ),
        *_capital_components(lines, inputs),
        _component(
            "bound_funds",
            "Bundne fond (fond for vurderingsforskjeller og for urealiserte gevinster)",
            "subtract",
            line_amount(lines, FUNDS),
            "balance_sheet",
            "aksjeloven § 8-1 (1)",
            _sources(lines, (FUNDS,)),
        ),
        _component(
            "dividend_reserve",
            "Avsatt utbytte i egenkapitalen",
            "subtract",
            line_amount(lines, DIVIDEND_RESERVE),
            "balance_sheet",
            "aksjeloven § 8-1 (1)",
            _sources(lines, (DIVIDEND_RESERVE,)),
        ),
        # Norwegian GAAP deducts own shares inside equity (nominal on 7131, the excess against
        # other equity): shown with their figure, adding nothing.
        _component(
            "own_shares",
            "Egne aksjer (allerede trukket fra i egenkapitalen)",
            "included",
            line_amount(lines, OWN_SHARES),
            "balance_sheet",
            "aksjeloven § 9-3, jf. regnskapsloven § 6-2",
            _sources(lines, (OWN_SHARES,)),
        ),
        _credit_component(snapshot, inputs),
    ] + [
        _component(key, label, "subtract", inputs[key], "input", paragraph)
        for key, label, paragraph in AFTER_BALANCE_DATE
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
# Refusals and warnings of a final allocation
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


def final_review(inputs, ceiling, group_contribution):
    """``{"refusals": [...], "warnings": [...]}`` of a final allocation, each item ``{"code",
    "field", "figures"}``.

    A dividend above the ceiling (§ 8-1) or a group contribution that fails the law is refused.
    The board's confirmation that equity and liquidity stay sound after the distribution
    (§ 8-1 (4) with § 3-4) is the board's judgement, recorded when given: its absence is a
    warning to show with the entry, not a refusal.
    """
    warnings = []
    if not inputs["board_confirmation"]:
        warnings.append(
            {"code": "board_confirmation_missing", "field": "board_confirmation", "figures": {}}
        )
    refusals = []
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
    return {"refusals": refusals, "warnings": warnings}


def final_refusals(inputs, ceiling, group_contribution):
    """Legacy shape for the Odoo side until it shows :func:`final_review`'s warnings: the
    missing board confirmation, then the refusals, as one list."""
    review = final_review(inputs, ceiling, group_contribution)
    return review["warnings"] + review["refusals"]
