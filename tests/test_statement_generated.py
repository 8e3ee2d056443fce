from datetime import date
from decimal import Decimal as D

from odoo.tests import tagged

from ..tools import ledger_generator
from .common import AnnualAccountsCommon, post_generated_ledger


@tagged("post_install", "-at_install")
class TestStatementGeneratedLedger(AnnualAccountsCommon):
    """The generator's two-year AS, posted through the ORM, against totals worked out from the
    generator's own entries with the mapping written out by hand below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = post_generated_ledger(cls.env, cls.company, 2025, size=600, seed=3)

    def expected(self, year):
        start, end = date(year, 1, 1), date(year, 12, 31)
        move = ledger_generator.balances(self.entries, start, end)
        cum = ledger_generator.balances(self.entries, None, end)
        m = lambda *codes: sum((move.get(c, D(0)) for c in codes), D(0))  # noqa: E731
        c = lambda *codes: sum((cum.get(c, D(0)) for c in codes), D(0))  # noqa: E731
        pnl = [code for code in cum if code[0] in "345678"]
        unallocated = -c(*pnl)
        result = -m(*pnl) + m("8920", "8960")  # before the allocation entries
        return {
            "sales": -m("3000"),
            "goods": m("4300"),
            "payroll": m("5000", "5400", "5950"),
            "depreciation": m("6017"),
            "interest": m("8150"),
            "tax": m("8300"),
            "result": result,
            "dividend": m("8920"),
            "to_equity": m("8960"),
            "equipment": c("1250"),
            "receivables": c("1500"),
            "bank": c("1920"),
            "share_capital": -c("2000"),
            "other_equity": -c("2050") + unallocated,
            "loan": -c("2220"),
            "payables": -c("2400"),
            "tax_payable": -c("2500"),
            "duties": -c("2600", "2700", "2710", "2770"),
            "dividend_payable": -c("2800"),
        }

    def test_generated_ledger_to_the_ore_both_years(self):
        snapshot = self.engine.compute(self.company, reporting_year=2025)
        for prior, year in ((False, 2025), (True, 2024)):
            values, e = self.amounts(snapshot, prior=prior), self.expected(year)
            line = {key: line for key, line in self._codes(prior).items()}
            got = {name: values[line[name]] for name in e}
            self.assertEqual(got, e, f"year {year}")
            self.assertEqual(values[line["assets"]], values[line["equity_and_debt"]])
            self.assertEqual(
                values[line["assets"]],
                e["equipment"] + e["receivables"] + e["bank"],
            )
        self.assertGreater(self.expected(2025)["result"], 0)
        first = self.expected(2024)  # allocated: half as dividend, the rest to other equity
        self.assertEqual(first["dividend"] + first["to_equity"], first["result"])
        self.assertAlmostEqual(first["dividend"], first["result"] / 2, delta=D("0.01"))

    def _codes(self, prior):
        keys = {
            "sales": "RES-20",
            "goods": "RES-80",
            "payroll": "RES-90",
            "depreciation": "RES-100",
            "interest": "RES-280",
            "tax": "RES-340",
            "result": "RES-400",
            "dividend": "RES-430",
            "to_equity": "RES-480",
            "equipment": "BAL-120",
            "receivables": "BAL-280",
            "bank": "BAL-400",
            "share_capital": "BAL-450",
            "other_equity": "BAL-520",
            "loan": "BAL-630",
            "payables": "BAL-700",
            "tax_payable": "BAL-710",
            "duties": "BAL-720",
            "dividend_payable": "BAL-730",
            "assets": "BAL-420",
            "equity_and_debt": "BAL-760",
        }
        lines = {line.key: line for line in self.env["annual.statement.line"].search([])}
        return {
            name: lines[key].prior_code if prior else lines[key].code for name, key in keys.items()
        }


@tagged("post_install", "-at_install")
class TestStatementQueryCount(AnnualAccountsCommon):
    """The engine's query count does not grow with journal items, accounts or lines."""

    def count_queries(self, company):
        self.engine.compute(company, reporting_year=2025)  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.engine.compute(company, reporting_year=2025)
        return self.env.cr.sql_log_count - before

    def test_same_query_count_at_two_sizes(self):
        post_generated_ledger(self.env, self.company, 2025, size=1000, bulk=True)
        small = self.count_queries(self.company)
        post_generated_ledger(self.env, self.other_company, 2025, size=20000, bulk=True)
        for n in range(40):  # more accounts, too
            self.env["account.account"].create(
                {
                    "code": f"3998{n:02d}",
                    "name": f"Sales {n}",
                    "account_type": "income",
                    "company_ids": [(6, 0, self.other_company.ids)],
                }
            )
            self.make_entry(
                "2025-03-01", [(f"3998{n:02d}", -10), ("1920", 10)], company=self.other_company
            )
        large = self.count_queries(self.other_company)
        self.assertEqual(small, large)
        self.assertLessEqual(small, 12)

    def test_bulk_sql_ledger_equals_its_entries(self):
        entries = post_generated_ledger(self.env, self.company, 2025, size=8000, bulk=True)
        self.assertGreater(ledger_generator.item_count(entries), 7000)
        values = self.amounts(self.engine.compute(self.company, reporting_year=2025))
        move = ledger_generator.balances(entries, date(2025, 1, 1), date(2025, 12, 31))
        cum = ledger_generator.balances(entries, None, date(2025, 12, 31))
        self.assertEqual(values["1340"], -move["3000"])
        self.assertEqual(values["786"], cum["1920"])
        self.assertEqual(values["219"], values["251"])
        # the moves read back through the ORM like posted entries
        moves = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("journal_id.code", "=", "GENL")]
        )
        self.assertEqual(len(moves), len(entries))
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        receivable = moves.line_ids.filtered(lambda line: line.account_id.code == "1500")[:1]
        self.assertEqual(receivable.amount_residual, receivable.balance)
        self.assertFalse(
            moves.line_ids.filtered(lambda line: line.account_id.code == "3000").mapped(
                "amount_residual"
            )[0]
        )
