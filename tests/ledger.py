"""Test and demo ledgers posted into a company: balanced entries (``Entry(date, journal, ref,
lines)`` of ``tools/ledger_generator`` or ``tools/demo_ledgers``) with the accounts they name
and a "Generated ledger" journal ``GENL``.

Small ledgers go through the ORM (real ``account.move`` posting); large ones by bulk SQL
(``COPY``), filling what the engine and Odoo's lists read: moves posted, lines with company,
account, date, balance, debit/credit and currency.

This lives with the tests: production code never posts generated ledgers. It imports nothing
of the module, so ``scripts/demo_setup.py`` and ``bench/`` load the file on its own, without the
test framework.
"""

import io
from decimal import Decimal

from odoo import Command

JOURNAL_CODE = "GENL"
ORM_MAX_ITEMS = 5000  # above this, entries go in by bulk SQL


def post_entries(env, company, entries, bulk=None):
    """Post ``entries`` into ``company`` (creating missing accounts and the journal); by
    bulk SQL when ``bulk``, by default above ``ORM_MAX_ITEMS`` journal items."""
    accounts = ensure_accounts(env, company, {c for e in entries for c, _b, _l in e.lines})
    journal = ensure_journal(env, company)
    if bulk is None:
        bulk = sum(len(entry.lines) for entry in entries) > ORM_MAX_ITEMS
    (_post_sql if bulk else _post_orm)(env, journal, accounts, entries)
    return entries


def _account_type(code):
    """The Odoo account type an NS 4102 number would have in the Norwegian chart."""
    if code.startswith("15"):
        return "asset_receivable"
    if code.startswith("19"):
        return "asset_cash"
    if code.startswith("24"):
        return "liability_payable"
    if code.startswith(("10", "11", "12")):
        return "asset_fixed"
    return {
        "1": "asset_current",
        "2": "equity" if code.startswith("20") else "liability_current",
        "3": "income",
    }.get(code[0], "expense")


def ensure_accounts(env, company, codes):
    """``{code: account id}`` of ``codes`` in ``company``, creating the missing ones."""
    Account = env["account.account"].with_company(company)
    found = {
        a.code: a.id
        for a in Account.search([("code", "in", list(codes)), ("company_ids", "in", company.id)])
    }
    missing = sorted(set(codes) - set(found))
    created = Account.create(
        [
            {
                "code": code,
                "name": f"Account {code}",
                "account_type": _account_type(code),
                "company_ids": [Command.set(company.ids)],
            }
            for code in missing
        ]
    )
    found.update({a.code: a.id for a in created})
    return found


def ensure_journal(env, company):
    Journal = env["account.journal"].with_company(company)
    journal = Journal.search(
        [("code", "=", JOURNAL_CODE), ("company_id", "=", company.id)], limit=1
    )
    return journal or Journal.create(
        {
            "name": "Generated ledger",
            "code": JOURNAL_CODE,
            "type": "general",
            "company_id": company.id,
        }
    )


def _post_orm(env, journal, accounts, entries):
    moves = (
        env["account.move"]
        .with_company(journal.company_id)
        .create(
            [
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": entry.date,
                    "ref": entry.ref,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": accounts[code],
                                "name": label or entry.ref,
                                "debit": max(balance, 0),
                                "credit": max(-balance, 0),
                            }
                        )
                        for code, balance, label in entry.lines
                    ],
                }
                for entry in entries
            ]
        )
    )
    moves.action_post()
    return moves


def _post_sql(env, journal, accounts, entries):
    """Bulk insert: one ``INSERT ... RETURNING`` for the moves, one ``COPY`` for the lines."""
    company = journal.company_id
    currency = company.currency_id.id
    cr = env.cr
    env.flush_all()
    cr.execute(
        "SELECT COALESCE(MAX(sequence_number), 0) FROM account_move WHERE journal_id = %s",
        [journal.id],
    )
    start = cr.fetchone()[0]
    names = [(f"{JOURNAL_CODE}/{e.date.year}/", start + i + 1) for i, e in enumerate(entries)]
    cr.execute(
        """
        INSERT INTO account_move (name, sequence_prefix, sequence_number, journal_id,
               company_id, currency_id, date, ref, state, move_type, auto_post,
               payment_state, amount_total, amount_total_signed,
               amount_total_in_currency_signed, create_uid, write_uid, create_date, write_date)
        SELECT p || lpad(n::text, 7, '0'), p, n, %(journal)s, %(company)s, %(currency)s, d, r,
               'posted', 'entry', 'no', 'not_paid', t, t, t,
               %(uid)s, %(uid)s, now() at time zone 'utc', now() at time zone 'utc'
          FROM unnest(%(prefixes)s::varchar[], %(numbers)s::int[], %(dates)s::date[],
                      %(refs)s::varchar[], %(totals)s::numeric[]) AS u(p, n, d, r, t)
        RETURNING id
        """,
        {
            "journal": journal.id,
            "company": company.id,
            "currency": currency,
            "uid": env.uid,
            "prefixes": [p for p, _n in names],
            "numbers": [n for _p, n in names],
            "dates": [e.date for e in entries],
            "refs": [e.ref for e in entries],
            "totals": [sum(b for _c, b, _l in e.lines if b > 0) for e in entries],
        },
    )
    move_ids = [row[0] for row in cr.fetchall()]  # in insertion order
    # Odoo keeps a residual only on reconcilable and cash accounts; nothing is reconciled.
    open_items = {
        a.id
        for a in env["account.account"].browse(list(accounts.values()))
        if a.reconcile or a.account_type in ("asset_cash", "liability_credit_card")
    }
    buffer = io.StringIO()
    for move_id, entry, (prefix, number) in zip(move_ids, entries, names, strict=True):
        move_name = f"{prefix}{number:07d}"
        for code, balance, label in entry.lines:
            debit, credit = max(balance, Decimal(0)), max(-balance, Decimal(0))
            text = (label or entry.ref).replace("\t", " ")
            residual = balance if accounts[code] in open_items else Decimal(0)
            buffer.write(
                f"{move_id}\t{move_name}\t{accounts[code]}\t{company.id}\t{journal.id}\t"
                f"{currency}\t{currency}\t{entry.date}\tposted\tproduct\t{text}\t"
                f"{balance}\t{debit}\t{credit}\t{balance}\t{residual}\t{residual}\tf\t"
                f"{env.uid}\t{env.uid}\n"
            )
    buffer.seek(0)
    cr.copy_from(
        buffer,
        "account_move_line",
        columns=(
            "move_id",
            "move_name",
            "account_id",
            "company_id",
            "journal_id",
            "currency_id",
            "company_currency_id",
            "date",
            "parent_state",
            "display_type",
            "name",
            "balance",
            "debit",
            "credit",
            "amount_currency",
            "amount_residual",
            "amount_residual_currency",
            "reconciled",
            "create_uid",
            "write_uid",
        ),
    )
    env.invalidate_all()
    return move_ids
