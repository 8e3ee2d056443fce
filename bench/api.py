#!/usr/bin/env python3
"""Benchmark: GET /api/v2/annual-accounts/submissions against the floor, in one run.

The database gets 500 companies and 10 000 filings (20 years each, bulk SQL), and the
administrator an API key for all of them. Then, on the same rows, the script times

- the endpoint: a full request through Odoo's WSGI application in this process (routing, API
  key check, transaction, the handler, JSON), a page of 100, unfiltered (every company of the
  caller) and filtered (one company, one year, and a set of 50 companies);
- the floor: a bare ``search_read`` of the same page (same domain, order, offset, limit and
  the fields the API serialises), as the same user;

and prints both (median of ``--runs``), their ratio (target <= 2) and the SQL queries per
request at page sizes 10 and 100 and on several pages (target: the same number everywhere).

Run with the project's virtualenv::

    $VENV/bin/python bench/api.py [--runs 20]

It uses (and fills when missing, a few minutes) the database ``--database``, default
``l10n_no_annual_accounts_bench_api``; PostgreSQL from ``PGHOST``/``PGPORT``/``PGUSER``/
``PGPASSWORD`` as the scripts. Results are also written to ``bench/results/api.txt``.
"""

import argparse
import os
import statistics
import time

from common import MODULE, MODULE_DIR, odoo_registry

COMPANIES, YEARS = 500, range(2006, 2026)
PATH = "/api/v2/annual-accounts/submissions"


def serialized_fields():
    """The columns the API reads for a page, so that the floor reads the same ones."""
    from odoo.addons.l10n_no_annual_accounts.controllers import api_annual_accounts  # noqa: PLC0415

    return api_annual_accounts.SERIALIZED_FIELDS


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=f"{MODULE}_bench_api")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", "/opt/odoo"))
    return parser.parse_args()


def populate(registry):
    """500 companies, 20 filings each (one per year, as the one-active rule allows), and an API
    key for the administrator, who may access every company. Returns the key."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        admin = env.ref("base.user_admin")
        companies = env["res.company"].search([("name", "=like", "Bench API %")])
        if len(companies) < COMPANIES:
            start = time.perf_counter()
            companies |= env["res.company"].create(
                [{"name": f"Bench API {n:03d} AS"} for n in range(len(companies), COMPANIES)]
            )
            print(f"{COMPANIES} companies in {time.perf_counter() - start:.1f} s", flush=True)
        admin.company_ids |= companies
        cr.execute("SELECT count(*) FROM annual_account")
        if cr.fetchone()[0] < COMPANIES * len(YEARS):
            cr.execute("DELETE FROM annual_account")
            cr.execute(
                """
                INSERT INTO annual_account (company_id, reporting_year, date_from, date_to,
                       state, main_form_id, sub_form_id, submitted_at,
                       create_uid, create_date, write_uid, write_date)
                SELECT c.id, y, make_date(y, 1, 1), make_date(y, 12, 31),
                       (ARRAY['draft', 'submitted', 'approved'])[1 + mod(c.id + y, 3)],
                       'RR-0002', 'RR-0002-U',
                       CASE WHEN mod(c.id + y, 3) > 0
                            THEN make_timestamp(y + 1, 5, 1 + mod(c.id, 28), 10, 0, 0) END,
                       %(uid)s, make_timestamp(y + 1, 3, 1 + mod(c.id, 28), 12, 0, 0) +
                                c.id * interval '1 second',
                       %(uid)s, now() at time zone 'utc'
                  FROM res_company c, generate_series(%(first)s, %(last)s) y
                 WHERE c.id = ANY(%(ids)s)
                """,
                {"uid": admin.id, "first": YEARS[0], "last": YEARS[-1], "ids": companies.ids},
            )
            cr.execute("ANALYZE annual_account")
        key = env["res.users.apikeys"].with_user(admin)._generate(None, "bench", None)
        cr.commit()
        return key, admin.id, companies.ids


def median_time(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    args = parse_args()
    registry = odoo_registry(
        args.database,
        args.odoo_src,
        [f"--db-filter=^{args.database}$", f"--database={args.database}"],
    )
    key, uid, company_ids = populate(registry)

    import werkzeug.test

    import odoo.http
    import odoo.sql_db
    from odoo import api

    client = werkzeug.test.Client(odoo.http.root)
    headers = {"Authorization": f"Bearer {key}"}

    def call(params):
        response = client.get(PATH, query_string=params, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response.get_json()

    def queries(params):
        before = odoo.sql_db.sql_counter
        call(params)
        return odoo.sql_db.sql_counter - before

    half = ",".join(map(str, company_ids[:50]))
    cases = [
        ("unfiltered, page 1", {}),
        ("unfiltered, page 37", {"page": 37}),
        ("one company", {"client_account_id": company_ids[7]}),
        ("50 companies, 2020", {"client_account_id": half, "reporting_year": 2020}),
    ]
    lines = [f"{COMPANIES} companies, 10 000 filings, page size 100, median of {args.runs} runs"]
    lines.append(
        f"{'case':<22} {'records':>7} {'floor ms':>9} {'api ms':>8} {'ratio':>6} "
        f"{'queries p10/p100':>17}"
    )
    print("\n".join(lines), flush=True)
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {"allowed_company_ids": company_ids})
        Filing = env["annual.account"]
        fields = serialized_fields()
        for label, params in cases:
            body = call({**params, "page_size": 100})
            domain = [("company_id", "in", company_ids)]
            if "client_account_id" in params:
                ids = [int(x) for x in str(params["client_account_id"]).split(",")]
                domain = [("company_id", "in", ids)]
            if "reporting_year" in params:
                domain.append(("reporting_year", "=", params["reporting_year"]))
            offset = (params.get("page", 1) - 1) * 100

            def floor(domain=domain, offset=offset):
                env.invalidate_all()
                Filing.search_read(
                    domain, fields, offset=offset, limit=100, order="reporting_year desc, id desc"
                )

            floor()
            floor_time = median_time(floor, args.runs)
            api_time = median_time(lambda p=params: call({**p, "page_size": 100}), args.runs)
            counts = (queries({**params, "page_size": 10}), queries({**params, "page_size": 100}))
            line = (
                f"{label:<22} {body['meta']['records']:>7} {floor_time * 1000:>9.2f} "
                f"{api_time * 1000:>8.2f} {api_time / floor_time:>6.2f} "
                f"{counts[0]:>8}/{counts[1]:<8}"
            )
            lines.append(line)
            print(line, flush=True)
        cr.rollback()
    results = MODULE_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "api.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
