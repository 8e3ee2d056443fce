#!/usr/bin/env python3
"""Benchmark: the statements preview against the floor, at several ledger sizes.

For each size, a fresh Norwegian company gets a generated two-year ledger (bulk SQL) of about
that many posted journal items. Then, on the same rows, the script times

- the floor: one bare ``SELECT account_id, SUM(balance) ... GROUP BY account_id`` over the
  company's posted items up to the period end, and
- the preview: ``annual.statement.engine.compute()`` for the year, both years, every line,

and prints both times (median of ``--runs``), their ratio and the number of SQL queries the
preview ran. Target: ratio <= 1.5 at one million items and the same query count at every size.

Run with the project's virtualenv (``scripts/test`` or ``scripts/run`` create it)::

    $VENV/bin/python bench/preview.py                      # 10 000, 100 000, 1 000 000
    $VENV/bin/python bench/preview.py --sizes 10000,100000  # quicker

It uses (and creates when missing, about a minute) the database ``--database``, default
``l10n_no_annual_accounts_bench``; PostgreSQL from ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD``
as the scripts. Results are also written to ``bench/results/preview.txt``.
"""

import argparse
import os
import statistics
import time

from common import MODULE, MODULE_DIR, odoo_registry, test_ledger

YEAR = 2025

FLOOR_SQL = """
    SELECT account_id, SUM(balance)
      FROM account_move_line
     WHERE company_id = %s AND parent_state = 'posted' AND date <= %s
  GROUP BY account_id
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--database", default=f"{MODULE}_bench")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", "/opt/odoo"))
    return parser.parse_args()


def new_company(env, size):
    company = env["res.company"].create(
        {
            "name": f"Bench {size} AS {int(time.time())}",
            "country_id": env.ref("base.no").id,
            "currency_id": env.ref("base.NOK").id,
        }
    )
    env.user.company_ids |= company
    env["account.chart.template"].try_loading("no", company, install_demo=False)
    return company


def median_times(functions, runs):
    """Median time of each function over ``runs`` rounds, the functions taking turns in each
    round so that a busy machine slows them alike."""
    times = [[] for _ in functions]
    for _ in range(runs):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            function()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def bench_size(registry, size, runs):
    from odoo import SUPERUSER_ID, api

    from odoo.addons.l10n_no_annual_accounts.tools import ledger_generator  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = new_company(env, size)
        start = time.perf_counter()
        entries = ledger_generator.generate_entries(YEAR, size=size)
        test_ledger().post_entries(env, company, entries, bulk=True)
        generated = time.perf_counter() - start
        items = sum(len(e.lines) for e in entries)
        cr.commit()
        cr.execute("ANALYZE account_move_line")
        # the preview runs as the administrator, with the access checks a user goes through
        admin = env.ref("base.user_admin")
        admin.company_ids |= company
        user_env = api.Environment(cr, admin.id, {"allowed_company_ids": [company.id]})
        engine = user_env["annual.statement.engine"]
        date_to = f"{YEAR}-12-31"

        def floor():
            cr.execute(FLOOR_SQL, [company.id, date_to])
            cr.fetchall()

        def preview():
            user_env.invalidate_all()
            engine.compute(company, reporting_year=YEAR)

        floor(), preview()  # warm PostgreSQL's and Odoo's caches alike
        floor_time, preview_time = median_times([floor, preview], runs)
        before = cr.sql_log_count
        preview()
        queries = cr.sql_log_count - before
        cr.commit()
        return items, generated, floor_time, preview_time, queries


def main():
    args = parse_args()
    registry = odoo_registry(args.database, args.odoo_src)
    header = (
        f"{'items':>10} {'generate s':>11} {'floor ms':>9} {'preview ms':>11} "
        f"{'ratio':>6} {'queries':>8}"
    )
    lines = [header]
    print(header, flush=True)
    for size in [int(s) for s in args.sizes.split(",")]:
        items, generated, floor_time, preview_time, queries = bench_size(registry, size, args.runs)
        line = (
            f"{items:>10} {generated:>11.1f} {floor_time * 1000:>9.1f} "
            f"{preview_time * 1000:>11.1f} {preview_time / floor_time:>6.2f} {queries:>8}"
        )
        lines.append(line)
        print(line, flush=True)
    results = MODULE_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "preview.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
