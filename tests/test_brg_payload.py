import base64
from decimal import Decimal as D

from lxml import etree

from odoo.tests import tagged

from ..tools import brg_validation
from ..tools.brg_underskjema import kroner, statement_figures
from .annual_account_common import ORGNR
from .common import AnnualAccountsCommon, post_generated_ledger
from .ledger import ensure_accounts

ANSWERS = {
    "approval_date": "2026-05-20",
    "approval_confirmed_by": "Kari Nordmann",
    "not_audited": True,
    "brg_warnings_accepted": True,
}


@tagged("post_install", "-at_install")
class TestBrgPayload(AnnualAccountsCommon):
    """Filings built from real ledgers yield XML that BRG's schemas accept, with the engine's
    figures at their field codes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"name": "Fjordlys Rørlegger AS", "company_registry": ORGNR})

    def draft(self, **vals):
        account = self.env["annual.account"]._create_draft(self.company, 2025)
        account.write({**ANSWERS, **vals})
        return account

    def assert_payload_valid(self, account):
        hovedskjema, underskjema = account._brg_payload()
        self.assertEqual(brg_validation.validate_xsd("hovedskjema", hovedskjema), [])
        self.assertEqual(brg_validation.validate_xsd("underskjema", underskjema), [])
        errors = [i for i in account._brg_issues() if i["severity"] == "error"]
        self.assertEqual(errors, [])
        return hovedskjema, underskjema

    def figures(self, xml):
        return {
            element.get("orid"): element.text
            for element in etree.fromstring(xml).iter()
            if element.get("orid")
        }

    def accounts(self, *codes):
        ensure_accounts(self.env, self.company, set(codes))

    # ------------------------------------------------------------------------------------------
    # Four kinds of company
    # ------------------------------------------------------------------------------------------

    def test_operating_company_round_trip(self):
        post_generated_ledger(self.env, self.company, 2025, size=600, seed=3, bulk=False)
        account = self.draft(full_time_equivalents=4)
        hovedskjema, underskjema = self.assert_payload_valid(account)
        filed = self.figures(underskjema)
        # Sums are filed as the sums of the filed (rounded) lines: statement_figures.
        expected = statement_figures(account.snapshot)
        checked = 0
        for line in account.snapshot["lines"]:
            for code, amount in (
                (line["code"], line["amount"]),
                (line["prior_code"], line["prior_amount"]),
            ):
                if (
                    code
                    and amount
                    and expected.get(code)
                    and code not in ("33415", "33416", "36633", "36634")
                ):
                    self.assertEqual(filed.get(code), str(expected[code]), f"orid {code}")
                    checked += 1
        self.assertGreater(checked, 30)
        sales = self.amounts(account.snapshot)["1340"]
        self.assertEqual(filed["1340"], str(kroner(sales)))  # a line: rounded half up
        self.assertEqual(filed["172"], str(expected["172"]))
        self.assertEqual(filed["37467"], "4")  # full-time equivalents
        self.assertEqual(filed["18239"], "2")  # salary line → note 2
        self.assertEqual(filed["39016"], "2")  # structured salary note numbered 2
        payroll = account.note_ids.filtered(lambda n: n.key == "lonnskostnader").body["rows"]
        self.assertEqual(filed["37525"], str(kroner(payroll[0][1])))
        head = self.figures(hovedskjema)
        self.assertEqual(
            (head["18"], head["756"], head["17102"], head["17105"], head["8079"], head["34669"]),
            (ORGNR, "AS", "2025", "2026-05-20", "ja", "ja"),
        )

    def test_demo_ledger_both_years(self):
        """The ledger scripts/demo_setup.py posts (generator defaults, 2 000 items): the filing
        of the unallocated year and of the allocated year before it."""
        post_generated_ledger(self.env, self.company, 2025, size=2000)
        for year in (2025, 2024):
            account = self.env["annual.account"]._create_draft(self.company, year)
            account.write(dict(ANSWERS, full_time_equivalents=3))
            _hovedskjema, underskjema = self.assert_payload_valid(account)
            filed = self.figures(underskjema)
            values = self.amounts(account.snapshot)
            self.assertEqual(filed["219"], str(statement_figures(account.snapshot)["219"]), year)
            self.assertLessEqual(abs(int(filed["219"]) - kroner(values["219"])), 2, year)
            self.assertEqual(filed["251"], filed["219"], year)

    def test_holding_company_with_received_group_contribution(self):
        self.accounts("1300", "1560", "8930", "8960", "7770")
        e = self.make_entry
        e("2024-01-02", [("1920", 100000), ("2000", -100000)])
        e("2024-01-03", [("1300", 60000), ("1920", -60000)])
        e("2025-06-30", [("7770", 5000), ("1920", -5000)])
        # Group contribution received from the subsidiary, allocated with the year's result.
        e("2025-12-31", [("1560", 100000), ("8930", -100000)])
        e("2025-12-31", [("8960", 95000), ("2050", -95000)])
        account = self.draft(parent_company=True, group_accounts=False)
        values = self.amounts(account.snapshot)
        self.assertEqual(
            (values["6113"], values["7065"], values["172"], values["7071"], values["9686"]),
            (D("100000"), D("95000"), D("-5000"), D("-5000"), D("60000")),
        )
        _hovedskjema, underskjema = self.assert_payload_valid(account)
        filed = self.figures(underskjema)
        self.assertEqual((filed["6113"], filed["7071"], filed["172"]), ("100000", "-5000", "-5000"))
        self.assertEqual(filed["37467"], "0")  # no employees, said explicitly

    def test_loss_year_with_going_concern_note(self):
        self.accounts("3000", "6300")
        e = self.make_entry
        e("2024-01-02", [("1920", 30000), ("2000", -30000)])
        e("2025-03-01", [("1920", 20000), ("3000", -20000)])
        e("2025-09-01", [("6300", 45000), ("1920", -45000)])
        e("2025-09-01", [("1920", 40000), ("2400", -40000)])
        account = self.draft()
        self.assertEqual(self.amounts(account.snapshot)["172"], D("-25000"))
        self.assertIn("fortsatt_drift", account.note_ids.mapped("key"))
        _hovedskjema, underskjema = self.assert_payload_valid(account)
        filed = self.figures(underskjema)
        self.assertEqual((filed["172"], filed["250"]), ("-25000", "5000"))
        self.assertEqual(filed["37443"], "true")  # going concern uncertain
        self.assertIn("usikkerhet", filed["37444"])

    def test_company_without_employees(self):
        e = self.make_entry
        e("2024-01-02", [("1920", 30000), ("2000", -30000)])
        e("2025-05-01", [("1920", 50000), ("3000", -50000)])
        e("2025-12-31", [("8960", 50000), ("2050", -50000)])
        account = self.draft(full_time_equivalents=0)
        salary = account.note_ids.filtered(lambda n: n.key == "lonnskostnader")
        self.assertIn("0 årsverk", salary.footer_text)
        _hovedskjema, underskjema = self.assert_payload_valid(account)
        self.assertEqual(self.figures(underskjema)["37467"], "0")

    # ------------------------------------------------------------------------------------------
    # Downloads and refusals
    # ------------------------------------------------------------------------------------------

    def test_draft_downloads_both_documents(self):
        e = self.make_entry
        e("2024-01-02", [("1920", 30000), ("2000", -30000)])
        account = self.draft()
        hovedskjema, underskjema = account._brg_payload()
        self.assertIn("field=hovedskjema_file", account.action_download_hovedskjema()["url"])
        self.assertIn("RR-0002-U_2025.xml", account.action_download_underskjema()["url"])
        self.assertEqual(base64.b64decode(account.hovedskjema_file), hovedskjema)
        self.assertEqual(base64.b64decode(account.underskjema_file), underskjema)

    def test_payload_refused_when_a_required_answer_is_missing(self):
        e = self.make_entry
        e("2024-01-02", [("1920", 30000), ("2000", -30000)])
        account = self.draft(approval_date=False)
        issues = {i["rule_id"] for i in account._brg_issues()}
        self.assertIn("VAL_17105", issues)
        self.assertIn("XSD", issues)
        with self.assertRaisesRegex(Exception, "schema"):
            account._brg_payload()
