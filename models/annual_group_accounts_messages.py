"""The words for the group accounts' findings, eliminations and import errors.

``tools/consolidation``, ``tools/group_structure`` and ``tools/group_import`` return codes and
params; they are worded here, in the user's language, when shown.
"""

from ..tools.statement_report import format_kroner


def _amounts(value):
    """A pair (this year, last year) or one amount, as the worksheet prints them."""
    if isinstance(value, list | tuple):
        return f"{format_kroner(value[0])} / {format_kroner(value[1])}"
    return format_kroner(value)


def _year(env, column):
    return env._("this year") if column == 0 else env._("last year")


def finding_message(env, code, params):
    p = dict(params)
    for key in ("amount", "creditor_amount", "debtor_amount", "shares"):
        if key in p:
            p[key] = _amounts(p[key])
    if "column" in p:
        p["year"] = _year(env, p["column"])
    if "kind" in p:
        p["kind"] = _kind(env, p["kind"])
    messages = {
        "OUTSIDE_DATABASE": lambda: env._(
            "%(name)s (%(shares)s %% held by %(holder)s) is not a company in this database: it "
            "is not consolidated, nor what it holds. Import the consolidated figures if it "
            "belongs in the group accounts.",
            **p,
        ),
        "PERIOD_DIFFERS": lambda: env._(
            "The financial year of %(company)s is %(start)s–%(end)s: its figures are taken from "
            "its ledger for the parent's period %(group_start)s–%(group_end)s (interim "
            "figures), its allocations as booked in that period.",
            **p,
        ),
        "PARENT_CHANGED": lambda: env._(
            "The parent's ledger has changed since this filing took its figures: recompute "
            "the filing, then consolidate again."
        ),
        "MEMBER_FINDING": lambda: env._("%(company)s: %(message)s", **p),
        "GOODWILL": lambda: env._(
            "The investments of %(company)s exceed its share of its subsidiaries' equity by "
            "%(amount)s (this year / last year): shown as goodwill, not amortised. Where it is "
            "not excess value paid at the acquisition (but, say, the subsidiaries' losses "
            "since), correct it with an adjustment.",
            **p,
        ),
        "PAIR_MISMATCH": lambda: env._(
            "%(kind)s between %(creditor)s and %(debtor)s do not agree %(year)s: %(creditor)s "
            "shows %(creditor_amount)s, %(debtor)s %(debtor_amount)s. They are not eliminated: "
            "correct the ledger, or add an adjustment.",
            **p,
        ),
        "UNMARKED_GROUP_LINE": lambda: env._(
            "%(company)s has %(amount)s (this year / last year) on “%(label)s” in journal items "
            "that name no company of the group: not eliminated. Name the group company as "
            "the items' partner, or add an adjustment.",
            **p,
        ),
        "UNCONSOLIDATED_INVESTMENT": lambda: env._(
            "%(company)s has investments in subsidiaries (%(amount)s, this year / last year), "
            "but none of its subsidiaries is in this database: they stay at cost.",
            **p,
        ),
        "GROUP_UNBALANCED": lambda: env._(
            "The group's balance sheet does not balance %(year)s: assets %(assets)s, equity "
            "and liabilities %(equity)s. Balance the adjustments.",
            **p,
        ),
    }
    return messages[code]()


def _kind(env, kind):
    return {
        "balances": env._("Receivables and debts"),
        "interest": env._("Interest"),
        "sales": env._("Sales and purchases"),
        "group_income": env._("Group contributions and dividends"),
    }[kind]


def elimination_title(env, entry):
    names = entry["companies"]
    p = {"first": names[0], "second": names[-1], "others": ", ".join(names[1:])}
    if entry["kind"] == "investment":
        return env._(
            "Investments of %(first)s in %(others)s against their equity (difference: goodwill "
            "or other equity)",
            **p,
        )
    if entry["kind"] == "minority":
        p["percent"] = entry["params"]["percent"]
        return env._("Minority interests (%(percent)s %%) in %(first)s", **p)
    return env._("%(kind)s between %(first)s and %(second)s", kind=_kind(env, entry["kind"]), **p)


def import_error(env, row, code, params):
    p = dict(params)
    if "column" in p:
        p["year"] = _year(env, p["column"])
    messages = {
        "empty_file": lambda: env._("The file is empty."),
        "too_large": lambda: env._("The file is larger than %(limit)s bytes.", **p),
        "too_many_rows": lambda: env._("The file has more than %(limit)s rows.", **p),
        "unreadable": lambda: env._("The file is neither CSV nor an XLSX workbook."),
        "no_figures": lambda: env._("The file holds no figures."),
        "columns": lambda: env._(
            "Give three columns: BRG's field code, this year's amount, last year's amount "
            "(%(count)s given).",
            **p,
        ),
        "code_prior": lambda: env._(
            "%(code)s is last year's field code of line %(line)s: give the line's code "
            "%(line)s, with last year's amount in the third column.",
            **p,
        ),
        "code_unknown": lambda: env._("%(code)s is not a field code of BRG's lines.", **p),
        "duplicate": lambda: env._("%(code)s is given twice (first in row %(first)s).", **p),
        "amount_invalid": lambda: env._(
            "%(value)s is not an amount (kroner, at most two decimals) for %(code)s.", **p
        ),
        "amount_too_large": lambda: env._("%(value)s is too large an amount for %(code)s.", **p),
        "sum_mismatch": lambda: env._(
            "The sum %(code)s is %(given)s %(year)s, but BRG's formula over the lines given "
            "makes %(computed)s.",
            **p,
        ),
        "unbalanced": lambda: env._(
            "Assets (%(assets)s) and equity and liabilities (%(equity)s) differ %(year)s.",
            **p,
        ),
    }
    text = messages[code]()
    return env._("Row %(row)s: %(text)s", row=row, text=text) if row else text
