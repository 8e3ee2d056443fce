from datetime import date
from decimal import Decimal as D

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AnnualAccountsCommon

# A small AS whose statements were worked out by hand (see setUpClass). 2024 is allocated;
# 2025 is not, so its result sits in other equity as "Udisponert resultat".
EXPECTED_2025 = {
    "1340": D("200000"),
    "7709": D("5000"),
    "72": D("205000"),
    "81": D("68460"),
    "2139": D("10000"),
    "82": D("12000"),
    "17126": D("90460"),
    "146": D("114540"),
    "150": D("1500"),
    "153": D("1500"),
    "2216": D("4000"),
    "17130": D("4000"),
    "158": D("-2500"),
    "167": D("112040"),
    "11835": D("24648.80"),
    "172": D("87391.20"),
    "33415": D("87391.20"),
    "36633": D("87391.20"),
    # balance sheet at 31.12.2025
    "7725": D("40000"),
    "47": D("40000"),
    "217": D("40000"),
    "116": D("250000"),
    "80": D("250000"),
    "786": D("265500"),
    "29042": D("265500"),
    "194": D("515500"),
    "219": D("555500"),
    "20488": D("100000"),
    "3730": D("100000"),
    "3274": D("100791.20"),
    "9702": D("100791.20"),
    "250": D("200791.20"),
    "7150": D("200000"),
    "25019": D("200000"),
    "86": D("200000"),
    "220": D("50000"),
    "2483": D("31248.80"),
    "225": D("73460"),
    "85": D("154708.80"),
    "1119": D("354708.80"),
    "251": D("555500"),
}
EXPECTED_2024 = {  # last year's field codes
    "7965": D("100000"),
    "6972": D("100000"),
    "6977": D("40000"),
    "6979": D("30000"),
    "17127": D("70000"),
    "7026": D("30000"),
    "7042": D("30000"),
    "11836": D("6600"),
    "7054": D("23400"),
    "33416": D("23400"),
    "36634": D("23400"),
    "9952": D("10000"),
    "7066": D("13400"),
    "7072": D("23400"),
    "8019": D("195000"),
    "29043": D("195000"),
    "7126": D("195000"),
    "7127": D("195000"),
    "20489": D("100000"),
    "9984": D("100000"),
    "7140": D("13400"),
    "9985": D("13400"),
    "7142": D("113400"),
    "7162": D("50000"),
    "10293": D("6600"),
    "7170": D("15000"),
    "7171": D("10000"),
    "7183": D("81600"),
    "7184": D("81600"),
    "7185": D("195000"),
}


@tagged("post_install", "-at_install")
class TestStatementEngine(AnnualAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.post_hand_ledger()
        e = cls.make_entry
        # never counted: a draft, a cancelled entry, another company's entry
        cls.draft = e("2025-09-01", [("1920", 999), ("3000", -999)], post=False)
        e("2025-09-02", [("1920", 555), ("3000", -555)], post=False).button_cancel()
        e("2025-09-03", [("1920", 777), ("3000", -777)], company=cls.other_company)

    def compute(self, **kwargs):
        kwargs.setdefault("reporting_year", 2025)
        return self.engine.compute(self.company, **kwargs)

    def assert_amounts(self, snapshot, expected, prior=False):
        actual = self.amounts(snapshot, prior=prior)
        wrong = {
            c: (v, expected.get(c, D(0))) for c, v in actual.items() if v != expected.get(c, D(0))
        }
        self.assertFalse(wrong, "code: (engine, by hand)")
        self.assertLessEqual(set(expected), set(actual))

    # ------------------------------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------------------------------

    def test_statements_equal_hand_computed_figures(self):
        snapshot = self.compute()
        self.assert_amounts(snapshot, EXPECTED_2025)
        self.assert_amounts(snapshot, EXPECTED_2024, prior=True)
        self.assertEqual(self.finding_codes(snapshot, "error"), [])
        self.assertEqual(self.finding_codes(snapshot, "warning"), ["UNALLOCATED_RESULT"])

    def test_snapshot_shape(self):
        snapshot = self.compute()
        self.assertEqual(
            (
                snapshot["date_from"],
                snapshot["date_to"],
                snapshot["prior_date_from"],
                snapshot["prior_date_to"],
                snapshot["currency"],
                snapshot["company_id"],
            ),
            ("2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31", "NOK", self.company.id),
        )
        lines = {line["key"]: line for line in snapshot["lines"]}
        self.assertEqual(len(lines), 148)  # every line of BRG's plan, zero or not
        sales = lines["RES-20"]
        self.assertEqual(
            (
                sales["code"],
                sales["prior_code"],
                sales["note_code"],
                sales["amount"],
                sales["prior_amount"],
                [a["code"] for a in sales["accounts"]],
            ),
            ("1340", "7965", "18537", "200000.00", "100000.00", ["3000"]),
        )
        self.assertIsNone(lines["RES-10"]["amount"])
        other_equity = [a for a in lines["BAL-520"]["accounts"] if not a["account_id"]]
        self.assertEqual(other_equity[0]["name"], "Udisponert resultat")
        self.assertEqual(other_equity[0]["amount"], "87391.20")

    def test_every_sum_formula_holds(self):
        snapshot = self.compute()
        for prior, formula, code in (
            (False, "formula", "code"),
            (True, "prior_formula", "prior_code"),
        ):
            values = self.amounts(snapshot, prior=prior)
            plan = self.env["annual.statement.line"].search([("kind", "=", "sum")])
            for line in plan:
                terms = line[formula].replace("-", " - ").replace("+", " + ").split()
                total, sign = D(0), 1
                for term in terms:
                    if term in "+-":
                        sign = -1 if term == "-" else 1
                    else:
                        total += sign * values[term]
                self.assertEqual(values[line[code]], total, line.key)

    def test_draft_and_cancelled_entries_are_ignored_until_posted(self):
        self.draft.action_post()
        values = self.amounts(self.compute())
        self.assertEqual(values["1340"], EXPECTED_2025["1340"] + 999)
        self.assertEqual(values["786"], EXPECTED_2025["786"] + 999)

    def test_other_company_entries_never_appear(self):
        other = self.engine.compute(self.other_company, reporting_year=2025)
        self.assertEqual(self.amounts(other)["1340"], D("777"))
        self.assertEqual(self.amounts(self.compute())["1340"], EXPECTED_2025["1340"])

    # ------------------------------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------------------------------

    def test_default_period_is_last_calendar_year(self):
        snapshot = self.engine.compute(self.company)
        year = date.today().year - 1
        self.assertEqual(snapshot["date_from"], f"{year}-01-01")
        self.assertEqual(snapshot["date_to"], f"{year}-12-31")
        self.assertEqual(snapshot["prior_date_to"], f"{year - 1}-12-31")

    def test_custom_period_and_its_comparative(self):
        snapshot = self.compute(date_from="2025-04-01", date_to="2025-06-30")
        self.assertEqual(
            (snapshot["prior_date_from"], snapshot["prior_date_to"]), ("2024-04-01", "2024-06-30")
        )
        this, last = self.amounts(snapshot), self.amounts(snapshot, prior=True)
        self.assertEqual(
            (this["1340"], this["7709"], this["81"], this["101"]),
            (D("200000"), D("5000"), D("68460"), D(0)),
        )
        self.assertEqual((last["7965"], last["6977"], last["6979"]), (D(0), D("40000"), D("30000")))
        # balance sheet: cumulative at each period's end
        self.assertEqual((this["786"], last["8019"]), (D("280000"), D("195000")))
        self.assertEqual(this["219"], this["251"])
        self.assertIn("MYK_VAL_17104", self.finding_codes(snapshot, "warning"))

    def test_period_up_to_18_months_is_accepted(self):
        snapshot = self.compute(date_from="2024-07-01", date_to="2025-12-31")
        self.assertEqual(self.finding_codes(snapshot, "error"), [])
        self.assertEqual(self.amounts(snapshot)["1340"], D("200000"))

    def test_period_longer_than_18_months_or_reversed_is_an_error(self):
        too_long = self.compute(date_from="2024-01-01", date_to="2025-12-31")
        self.assertIn("PERIOD_TOO_LONG", self.finding_codes(too_long, "error"))
        reversed_ = self.compute(date_from="2025-12-31", date_to="2025-01-01")
        self.assertEqual(self.finding_codes(reversed_, "error"), ["PERIOD_REVERSED"])
        self.assertFalse(any(self.amounts(reversed_).values()))

    # ------------------------------------------------------------------------------------------
    # Mapping
    # ------------------------------------------------------------------------------------------

    def test_unmapped_account_with_a_balance_is_an_error(self):
        self.env["account.account"].create(
            {
                "code": "8400",
                "name": "Old extraordinary cost",
                "account_type": "expense",
                "company_ids": [(6, 0, self.company.ids)],
            }
        )
        self.make_entry("2025-10-01", [("8400", 1000), ("1920", -1000)])
        snapshot = self.compute()
        unmapped = [f for f in snapshot["findings"] if f["code"] == "UNMAPPED_ACCOUNT"]
        self.assertEqual(len(unmapped), 1)
        self.assertEqual((unmapped[0]["severity"], unmapped[0]["accounts"]), ("error", ["8400"]))
        self.assertIn("8400", unmapped[0]["message"])

    def test_off_balance_accounts_stay_out(self):
        for code in ("9901", "9902"):
            self.env["account.account"].create(
                {
                    "code": code,
                    "name": f"Memo {code}",
                    "account_type": "off_balance",
                    "company_ids": [(6, 0, self.company.ids)],
                }
            )
        self.make_entry("2025-10-01", [("9901", 1000), ("9902", -1000)])
        snapshot = self.compute()
        self.assertEqual(self.finding_codes(snapshot, "error"), [])
        self.assert_amounts(snapshot, EXPECTED_2025)

    def test_balance_mismatch_is_an_error(self):
        # an unmapped balance-sheet amount leaves the two sides apart
        self.env["account.account"].create(
            {
                "code": "9990",
                "name": "Suspense",
                "account_type": "asset_current",
                "company_ids": [(6, 0, self.company.ids)],
            }
        )
        self.make_entry("2025-10-01", [("9990", 1000), ("2400", -1000)])
        snapshot = self.compute()
        self.assertEqual(
            self.finding_codes(snapshot, "error"), ["UNMAPPED_ACCOUNT", "BALANCE_MISMATCH"]
        )
        self.assertNotIn("MYK_VAL_251", self.finding_codes(snapshot))

    def test_override_moves_an_amount_to_the_chosen_line(self):
        account = self.account("3900")
        account.l10n_no_aa_statement_line_id = self.env.ref("l10n_no_annual_accounts.line_res_20")
        values = self.amounts(self.compute())
        self.assertEqual(
            (values["1340"], values["7709"], values["72"]), (D("205000"), D(0), D("205000"))
        )
        # per company: the other company still follows the rules
        self.assertFalse(account.with_company(self.other_company).l10n_no_aa_statement_line_id)

    def test_only_managers_set_overrides(self):
        user = new_test_user(
            self.env,
            "acc_user",
            groups="account.group_account_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        account = self.account("3900").with_user(user)
        with self.assertRaises(AccessError):
            account.l10n_no_aa_statement_line_id = self.env.ref(
                "l10n_no_annual_accounts.line_res_20"
            )
        # but every accountant computes the statements, with the overrides
        self.assertEqual(
            self.engine.with_user(user).compute(self.company, reporting_year=2025)["company_id"],
            self.company.id,
        )

    def test_refuses_a_company_the_user_may_not_access(self):
        user = new_test_user(
            self.env,
            "acc_user2",
            groups="account.group_account_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.engine.with_user(user).compute(self.other_company, reporting_year=2025)

    def test_a_narrower_company_rule_wins(self):
        self.env["annual.account.mapping.rule"].create(
            {
                "code_from": "3900",
                "code_to": "3999",
                "company_id": self.company.id,
                "line_id": self.env.ref("l10n_no_annual_accounts.line_res_20").id,
            }
        )
        values = self.amounts(self.compute())
        self.assertEqual((values["1340"], values["7709"]), (D("205000"), D(0)))
        other = self.engine.compute(self.other_company, reporting_year=2025)
        self.assertEqual(self.amounts(other)["1340"], D("777"))

    def test_lines_show_the_accounts_that_feed_them(self):
        line = self.env.ref("l10n_no_annual_accounts.line_res_90").with_company(self.company)
        codes = set(line.account_ids.mapped("code"))
        self.assertTrue({"5000", "5400", "5950"} <= codes)
        self.assertFalse(any(c[:1] != "5" for c in codes))
