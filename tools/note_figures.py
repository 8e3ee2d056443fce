"""What the notes read from the statement snapshot: the figures as filed, the payroll split,
the related parties' balances, the depreciation of each asset class.

Plain Python, no ``odoo`` import. Amounts are whole kroner as filed
(``brg_underskjema.statement_figures``); a split of a line into its accounts is rounded so that
the parts add up to the filed line (:func:`split_rounded`). ``answer`` reads the user's inputs:
``None`` or absent is unanswered.
"""

from datetime import date
from decimal import Decimal

from .brg_underskjema import kroner, statement_figures

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SALARY_LINE = "81"
DEPRECIATION_LINE, IMPAIRMENT_LINE = "2139", "2354"
SHARE_CAPITAL = "20488"
OWN_SHARES = "7131"
SHARE_PREMIUM = "2585"
EQUITY = "250"
RESULT = "172"
RESULT_BEFORE_TAX = "167"
TAX = "11835"
LAST_LINE = "251"
OTHER_RECEIVABLES = "282"
LONG_TERM_RECEIVABLES = "203"
INVENTORY = "326"
TRADE_RECEIVABLES = "116"
INVESTMENTS = ("7100", "27583")
CURRENT_INVESTMENTS = ("7117", "9687", "7731", "6429")
DEFERRED_TAX, DEFERRED_TAX_ASSET = "237", "202"
PENSION_LIABILITIES = "238"
INTANGIBLE_LINES = ("7073", "205", "206")
TANGIBLE_LINES = ("1976", "1975", "1348", "7725")
LONG_TERM_DEBT_LINES = ("7147", "6091", "7150", "2256", "243", "242")
CREDIT_INSTITUTION_DEBT = ("7150", "10926")
GUARANTEE_LINES = ("16920", "16922")
DIVIDEND_LINES = ("6112", "38808", "38811")
GROUP_CONTRIBUTION_RECEIVED, GROUP_CONTRIBUTION_GIVEN = "6113", "36636"
# Group lines of BRG's balance sheet (regnskapsloven § 7-36).
GROUP_INVESTMENT_LINES = {
    "9686": "Investering i datterselskap",
    "7727": "Investering i annet foretak i samme konsern",
    "7726": "Investeringer i tilknyttet selskap",
}
GROUP_RECEIVABLE_LINES = ("6500", "7128")
ASSOCIATE_RECEIVABLE_LINE = "7098"
JOINT_VENTURE_ACCOUNTS = ("1345",)  # NS 4102: loans to joint ventures, inside line 7098
GROUP_LONG_TERM_DEBT, GROUP_SHORT_TERM_DEBT = "2256", "2255"
# NS 4102 receivables on the people of regnskapsloven § 7-45 and aksjeloven §§ 8-7 to 8-10:
# board members (BRG's "Styret"), the general manager ("Andre organ") and the shareholders.
RELATED_PARTY_ACCOUNTS = {
    "board": ("1375",),
    "management": ("1384", "1576"),
    "shareholders": ("1370", "1385", "1574", "1575"),
}
# What a full-time year of salary is taken to be when proposing full-time equivalents: about
# SSB's average monthly earnings of full-time employees (2024, NOK 56 000) times twelve.
REFERENCE_FULL_TIME_SALARY = Decimal("672000")


def money(value):
    return str(Decimal(str(value or 0)).quantize(CENT))


def to_decimal(value):
    return Decimal(str(value)) if value not in (None, "") else ZERO


def answer(inputs, name):
    """The user's answer ``name`` as given (``None``: unanswered)."""
    value = (inputs or {}).get(name)
    return None if value == "" else value


def number_answer(inputs, name):
    value = answer(inputs, name)
    return None if value is None else Decimal(str(value))


# ----------------------------------------------------------------------------------------------
# Reading the snapshot
# ----------------------------------------------------------------------------------------------


def filed_amounts(snapshot):
    """``{code: (amount, prior_amount)}`` of every line as filed: whole kroner, sums computed
    from the rounded lines (``brg_underskjema.statement_figures``)."""
    figures = statement_figures(snapshot)
    return {
        line["code"]: (
            Decimal(figures.get(line["code"], 0)),
            Decimal(figures.get(line.get("prior_code"), 0)),
        )
        for line in snapshot["lines"]
        if line.get("code") and line.get("kind") != "header"
    }


def line_of(snapshot, code):
    return next((line for line in snapshot["lines"] if line.get("code") == code), None)


def line_accounts(snapshot, code):
    return (line_of(snapshot, code) or {}).get("accounts") or ()


def in_range(code, low, high):
    return code[:4].isdigit() and low <= code[:4] <= high


def total(amounts, codes, index=0):
    return sum((amounts.get(code, (ZERO, ZERO))[index] for code in codes), ZERO)


def period_dates(snapshot):
    return date.fromisoformat(snapshot["date_from"]), date.fromisoformat(snapshot["date_to"])


def split_rounded(parts, line_total):
    """``parts`` ({name: Decimal}) in whole kroner adding up to ``line_total`` (the filed line):
    each rounded half up, the difference moved one krone at a time to the parts the rounding
    moved most the other way (largest remainder)."""
    rounded = {name: Decimal(kroner(value)) for name, value in parts.items()}
    difference = int(Decimal(line_total) - sum(rounded.values(), ZERO))
    step = 1 if difference > 0 else -1
    order = sorted(parts, key=lambda n: (parts[n] - rounded[n]) * step, reverse=True)
    for name in order[: abs(difference)]:
        rounded[name] += step
    return rounded


def salary_bucket(code):
    """Which part of the salary specification (§ 7-38; BRG's 37525-37532) an NS 4102 payroll
    account belongs to: pension (5255, 5420, 5942-5959), employer's tax (54xx but 5420, and its
    refund 5820), salaries (50xx-53xx, 56xx-58xx: wages, fees, grants and refunds that reduce
    them) or other benefits (the rest of 5xxx)."""
    if code[:4] in ("5255", "5420") or in_range(code, "5942", "5959"):
        return "pension"
    if in_range(code, "5400", "5499") or code[:4] == "5820":
        return "employer_tax"
    if in_range(code, "5000", "5399") or in_range(code, "5600", "5899"):
        return "salaries"
    return "other"


def salary_split(snapshot):
    """Salaries, employer's tax, pension and other benefits of the payroll line, both years,
    exact (see :func:`salary_bucket`)."""
    split = {name: [ZERO, ZERO] for name in ("salaries", "employer_tax", "pension", "other")}
    for account in line_accounts(snapshot, SALARY_LINE):
        name = salary_bucket(account.get("code") or "")
        split[name][0] += to_decimal(account.get("amount"))
        split[name][1] += to_decimal(account.get("prior_amount"))
    return split


def filed_salary_split(snapshot, amounts):
    """:func:`salary_split` in whole kroner adding up to the filed payroll line, both years."""
    split = salary_split(snapshot)
    line = amounts.get(SALARY_LINE, (ZERO, ZERO))
    years = [
        split_rounded({name: pair[index] for name, pair in split.items()}, line[index])
        for index in (0, 1)
    ]
    return {name: (years[0][name], years[1][name]) for name in split}


def related_party_balances(snapshot):
    """The ledger's receivables on board members, the general manager and the shareholders at
    the balance date (:data:`RELATED_PARTY_ACCOUNTS`), by group: ``{group: {"amount",
    "accounts": [{line_code, account_id, code, name, amount}]}}``. Only debit balances: a
    current account in the shareholder's favour is debt, not credit given."""
    found = {group: {"amount": ZERO, "accounts": []} for group in RELATED_PARTY_ACCOUNTS}
    for line in snapshot["lines"]:
        if line.get("section") not in (None, "BAL"):
            continue
        for account in line.get("accounts") or ():
            code, amount = account.get("code") or "", to_decimal(account.get("amount"))
            for group, prefixes in RELATED_PARTY_ACCOUNTS.items():
                if code.startswith(prefixes) and amount > 0:
                    found[group]["amount"] += amount
                    found[group]["accounts"].append(
                        {
                            "line_code": line.get("code"),
                            "account_id": account.get("account_id"),
                            "code": code,
                            "name": account.get("name", ""),
                            "amount": amount,
                        }
                    )
    return found


def any_amount(amounts, codes):
    """Any of the lines has a figure, this year or last year."""
    return any(any(amounts.get(code, (ZERO, ZERO))) for code in codes)


def depreciation_split(snapshot, amounts):
    """This year's depreciation and write-downs (2139 + 2354) for tangible and intangible
    assets: NS 4102 6020-6029 and 6055 are intangible, the rest tangible."""
    filed = total(amounts, (DEPRECIATION_LINE, IMPAIRMENT_LINE))
    exact = {"tangible": ZERO, "intangible": ZERO}
    for code in (DEPRECIATION_LINE, IMPAIRMENT_LINE):
        for account in line_accounts(snapshot, code):
            number = account.get("code") or ""
            kind = (
                "intangible"
                if in_range(number, "6020", "6029") or number[:4] == "6055"
                else "tangible"
            )
            exact[kind] += to_decimal(account.get("amount"))
    if not any(exact.values()):
        exact["tangible"] = filed
    return split_rounded(exact, filed)
