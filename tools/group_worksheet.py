"""The consolidation worksheet as shown: one row per line of BRG's plan with a figure, one
column per company, then the sum, the eliminations, the adjustments and the group's figures;
and each elimination with the lines it moves. Also the JSON form of the worksheet's pairs.
"""

from decimal import Decimal

from .statement_report import format_kroner


def jsonable(value):
    """Decimals as strings, pairs as lists: what a Json field stores."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def pairs(stored):
    """``{code: (Decimal, Decimal)}`` of a stored ``{code: [str, str]}``."""
    return {
        code: (Decimal(amount), Decimal(prior)) for code, (amount, prior) in (stored or {}).items()
    }


def table(plan, columns, year):
    """``{"titles": [...], "rows": [{label, level, bold, cells}]}`` for ``year`` (0: this
    year, 1: last year); ``columns`` is ``[(title, leaves)]``, sums added here."""
    figures = [plan.with_sums(leaves) for _title, leaves in columns]
    rows = []
    for line in plan.lines:
        if line["kind"] == "header":
            continue
        amounts = [values[line["code"]][year] for values in figures]
        if not any(amounts):
            continue
        rows.append(
            {
                "label": line["label"],
                "level": line.get("level") or 0,
                "bold": line["kind"] == "sum",
                "cells": [format_kroner(amount) if amount else "" for amount in amounts],
            }
        )
    return {"titles": [title for title, _leaves in columns], "rows": rows}


def entry_lines(plan, lines):
    """``[{label, amount, prior_amount}]`` of one elimination or adjustment, in plan order."""
    return [
        {
            "label": plan.labels.get(code, code),
            "amount": format_kroner(lines[code][0]) if lines[code][0] else "",
            "prior_amount": format_kroner(lines[code][1]) if lines[code][1] else "",
        }
        for code in plan.leaves
        if code in lines
    ]
