"""Group accounts (konsernregnskap) from real journal entries in three companies, checked
against figures computed by hand, filed as the second Underskjema (type K) on the simulator.

Mor AS (the test company) owns Datter En AS (100 %, founded with 100 000) and Datter To AS
(80 %: 80 000 of its 100 000). 2024: each sells and keeps its result. 2025: Mor lends Datter En
50 000 at 2 000 interest; Datter En gives Mor a group contribution of 40 000; Datter To pays a
dividend of 20 000 (16 000 to Mor) and sells for 10 000 to Datter En, 4 000 still owed. The
entries name the group company they are with as partner, as invoices and payments do.
(tests_unit/test_consolidation.py computes the same group in plain Python.)
"""

import base64
from decimal import Decimal

from psycopg2 import sql

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..tools import brg_validation
from .altinn_common import AltinnSimulatorMixin
from .annual_account_common import ORGNR
from .common import AnnualAccountsCommon, create_accountant
from .test_report import pdf_text

D = Decimal
# The group's figures (this year, last year), by hand: see the module docstring and
# tests_unit/test_consolidation.py for the arithmetic.
EXPECTED = {
    "1340": (610000, 230000),  # the 10 000 Datter To sold to Datter En is eliminated
    "82": (230000, 90000),
    "27934": (0, 0),  # the group contribution and dividend Mor received
    "149": (0, 0),  # interest between Mor and Datter En
    "7037": (0, 0),
    "172": (380000, 140000),
    "7717": (10000, 6000),  # 20 % of Datter To's result
    "33415": (370000, 134000),
    "6112": (50000, 0),
    "36636": (0, 0),
    "7065": (320000, 134000),
    "7071": (370000, 134000),
    "9686": (0, 0),  # investments against the subsidiaries' equity
    "6500": (0, 0),  # the loan
    "7128": (0, 0),
    "116": (0, 0),
    "786": (1040000, 660000),
    "219": (1040000, 660000),
    "20488": (500000, 500000),
    "3274": (454000, 134000),
    "29045": (32000, 26000),  # 20 % of Datter To's equity
    "235": (54000, 0),  # Mor's 50 000 and the minority's 4 000
    "2255": (0, 0),
    "2256": (0, 0),
    "220": (0, 0),
    "251": (1040000, 660000),
}
CSV = (
    "felt;aarets;fjoraarets\n"
    "1340;610000;230000\n82;230000;90000\n7717;10000;6000\n6112;50000;0\n"
    "7065;320000;134000\n786;1040000;660000\n20488;500000;500000\n3274;454000;134000\n"
    "29045;32000;26000\n235;54000;0\n219;1040000;660000\n"
)


@tagged("post_install", "-at_install")
class TestGroupAccounts(AltinnSimulatorMixin, AnnualAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mor, cls.en = cls.company, cls.other_company
        cls.to = cls.setup_other_company(name="Datter To AS")["company"]
        cls.env.user.company_ids |= cls.to
        cls.mor.write(
            {
                "name": "Mor AS",
                "l10n_no_bronnoysund_number": ORGNR,
                "l10n_no_aa_parent_company": True,
                "l10n_no_aa_not_audited": True,
                "l10n_no_aa_prepared_by_authorised_accountant": True,
                "l10n_no_aa_general_manager_id": cls.env["res.partner"]
                .create({"name": "Åse Kjølås Ødegård"})
                .id,
            }
        )
        cls.en.name = "Datter En AS"
        for company, pct in ((cls.en, 100), (cls.to, 80)):
            company.partner_id.write(
                {
                    "l10n_no_aa_group_parent_id": cls.mor.partner_id.id,
                    "l10n_no_aa_group_shares_pct": pct,
                    "l10n_no_aa_group_votes_pct": pct,
                }
            )
        cls.post_group_ledger()
        cls.setup_simulator(cls.mor)

    @classmethod
    def post_group_ledger(cls):
        mor, en, to = (c.partner_id for c in (cls.mor, cls.en, cls.to))
        e = cls.entry
        # Mor AS
        e(cls.mor, "2024-01-02", [("1920", 500000), ("2000", -500000)])
        e(cls.mor, "2024-01-03", [("1300", 180000), ("1920", -180000)])
        e(cls.mor, "2024-12-31", [("1920", 60000), ("3000", -100000), ("6300", 40000)])
        e(cls.mor, "2024-12-31", [("8960", 60000), ("2050", -60000)])
        e(cls.mor, "2025-03-01", [("1320", 50000, en), ("1920", -50000, en)])
        e(cls.mor, "2025-12-31", [("1920", 2000, en), ("8030", -2000, en)])
        e(cls.mor, "2025-12-31", [("1920", 200000), ("3000", -300000), ("6300", 100000)])
        e(cls.mor, "2025-12-31", [("1560", 40000, en), ("8000", -40000, en)])
        e(cls.mor, "2025-12-31", [("1560", 16000, to), ("8000", -16000, to)])
        e(
            cls.mor,
            "2025-12-31",
            [("8920", 50000), ("2800", -50000), ("8960", 208000), ("2050", -208000)],
        )
        # Datter En AS
        e(cls.en, "2024-01-03", [("1920", 100000), ("2000", -100000)])
        e(cls.en, "2024-12-31", [("1920", 50000), ("3000", -80000), ("6300", 30000)])
        e(cls.en, "2024-12-31", [("8960", 50000), ("2050", -50000)])
        e(cls.en, "2025-03-01", [("1920", 50000, mor), ("2260", -50000, mor)])
        e(cls.en, "2025-12-31", [("8130", 2000, mor), ("1920", -2000, mor)])
        e(cls.en, "2025-12-31", [("1920", 140000), ("3000", -200000), ("6300", 60000)])
        e(cls.en, "2025-12-31", [("6300", 10000, to), ("2400", -10000, to)])
        e(cls.en, "2025-12-31", [("2400", 6000, to), ("1920", -6000, to)])
        e(
            cls.en,
            "2025-12-31",
            [("8935", 40000, mor), ("2920", -40000, mor), ("8960", 88000), ("2050", -88000)],
        )
        # Datter To AS
        e(cls.to, "2024-01-03", [("1920", 100000), ("2000", -100000)])
        e(cls.to, "2024-12-31", [("1920", 30000), ("3000", -50000), ("6300", 20000)])
        e(cls.to, "2024-12-31", [("8960", 30000), ("2050", -30000)])
        e(cls.to, "2025-12-31", [("1920", 40000), ("3000", -110000), ("6300", 70000)])
        e(cls.to, "2025-12-31", [("1500", 10000, en), ("3000", -10000, en)])
        e(cls.to, "2025-12-31", [("1920", 6000, en), ("1500", -6000, en)])
        e(
            cls.to,
            "2025-12-31",
            [("8920", 20000), ("2800", -20000), ("8960", 30000), ("2050", -30000)],
        )

    @classmethod
    def entry(cls, company, date, lines):
        """A posted entry from ``[(account code, balance[, partner])]`` (debit positive)."""
        journal = cls.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
        )
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "journal_id": journal.id,
                    "date": date,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": cls.account(code, company).id,
                                "partner_id": partner[0].id if partner else False,
                                "debit": max(balance, 0),
                                "credit": max(-balance, 0),
                            }
                        )
                        for code, balance, *partner in lines
                    ],
                }
            )
        )
        move.action_post()
        return move

    def filing(self, **vals):
        account = self.env["annual.account"]._create_draft(self.mor, 2025)
        account.write(
            {
                "parent_company": True,
                "group_accounts": True,
                "group_accounting_rules": "accounting_act",
                "approval_date": "2026-05-20",
                "full_time_equivalents": 2,
                "brg_warnings_accepted": True,
                **vals,
            }
        )
        return account

    def figures(self, account):
        snapshot = account.group_accounts_id._snapshot()
        return {
            line["code"]: (D(line["amount"]), D(line["prior_amount"]))
            for line in snapshot["lines"]
            if line["code"] in EXPECTED
        }

    def expected(self, figures=None):
        return {code: (D(a), D(p)) for code, (a, p) in (figures or EXPECTED).items()}

    # ------------------------------------------------------------------------------------------
    # The consolidation
    # ------------------------------------------------------------------------------------------

    def test_hand_computed_group_figures(self):
        account = self.filing()
        account.action_group_consolidate()
        self.assertEqual(self.figures(account), self.expected())
        self.assertRecordValues(
            account.group_member_ids,
            [
                {"name": "Mor AS", "holder_name": False, "shares_pct": 100, "effective_pct": 100},
                {
                    "name": "Datter En AS",
                    "holder_name": "Mor AS",
                    "shares_pct": 100,
                    "effective_pct": 100,
                },
                {
                    "name": "Datter To AS",
                    "holder_name": "Mor AS",
                    "shares_pct": 80,
                    "effective_pct": 80,
                },
            ],
        )
        kinds = sorted(e["kind"] for e in account.group_accounts_id.eliminations)
        self.assertEqual(
            kinds,
            [
                "balances",
                "balances",
                "balances",
                "group_income",
                "group_income",
                "interest",
                "investment",
                "minority",
                "sales",
            ],
        )
        self.assertFalse(account.group_accounts_id.findings)
        # the tab: the worksheet names each company and each elimination, the K form's figures
        worksheet = str(account.group_worksheet_html)
        for text in (
            "Datter En AS",
            "Datter To AS",
            "Eliminations",
            "Minority interests (20",
            "1 040 000",
        ):
            self.assertIn(text, worksheet)
        self.assertIn("Minoritetsinteresser", str(account.group_statement_html))

    def test_filed_as_a_second_underskjema_of_type_k(self):
        self.approve_system_user(self.mor)
        account = self.filing()
        account.action_group_consolidate()
        self.assertFalse(
            [i for i in account._brg_issues() if i["severity"] == "error"], account._brg_issues()
        )
        account.action_submit()
        self.assertEqual(account.state, "submitted", account.error_message)
        stored = self.sim.state.instances[account.altinn_instance_id]
        company_form, group_form = stored.elements("Underskjema")
        group_xml = stored.contents[group_form["id"]]
        self.assertEqual(brg_validation.validate_xsd("underskjema", group_xml), [])
        self.assertIn(b'orid="25942">K<', group_xml)
        self.assertIn(b'<aarets orid="7717">10000</aarets>', group_xml)
        self.assertIn(b'<aarets orid="29045">32000</aarets>', group_xml)
        self.assertIn(b'orid="25942">S<', stored.contents[company_form["id"]])
        self.assertIn(
            b'<konsernregnskap orid="25943">ja</konsernregnskap>',
            stored.contents[stored.elements("Hovedskjema")[0]["id"]],
        )
        [added] = [e for e in self.sim_log("data_post") if e["path"].endswith("/data/Underskjema")]
        self.assertEqual(added["status"], 200)
        # filed: frozen, and the PDF carries the group accounts
        with self.assertRaisesRegex(UserError, "only change while it is a draft"):
            account.action_group_consolidate()
        with self.assertRaises(UserError):
            account.group_accounting_rules = "ifrs"
        text = " ".join(pdf_text(account._render_pdf()).split())
        self.assertIn("Konsernregnskap 2025", text)
        self.assertIn("Balanse konsern", text)
        self.assertIn("1 040 000", text)

    def test_the_rules_of_the_group_accounts_are_asked_not_invented(self):
        account = self.filing(group_accounting_rules=False)
        account.action_group_consolidate()
        self.assertIn(
            "VAL_RegnskapsoppsettKonsernIFRS", [i["rule_id"] for i in account._brg_issues()]
        )
        for rules, ifrs, simplified in (
            ("accounting_act", "nei", "nei"),
            ("simplified_ifrs", "nei", "ja"),
            ("ifrs", "ja", None),
        ):
            account.group_accounting_rules = rules
            xml = base64.b64decode(account.hovedskjema_file)
            self.assertIn(f'orid="25944">{ifrs}<'.encode(), xml)
            if simplified:
                self.assertIn(f'orid="36641">{simplified}<'.encode(), xml)
            else:
                self.assertNotIn(b'orid="36641"', xml)

    def test_announced_group_accounts_without_figures_are_refused_before_sending(self):
        account = self.filing()
        rules = [i["rule_id"] for i in account._brg_issues() if i["severity"] == "error"]
        self.assertEqual(rules, ["VAL_Konsernregnskap"])
        with self.assertRaisesRegex(UserError, "VAL_Konsernregnskap"):
            account.action_submit()
        self.assertEqual(self.sim_log("instance_create"), [])

    # ------------------------------------------------------------------------------------------
    # Adjustments and an imported set
    # ------------------------------------------------------------------------------------------

    def test_adjustments_move_the_group_figures_and_must_balance(self):
        account = self.filing()
        account.action_group_consolidate()
        line = self.env["annual.statement.line"].search
        goodwill, equity = line([("code", "=", "206")]), line([("code", "=", "3274")])
        with Form(account) as form:
            with form.group_adjustment_ids.new() as adjustment:
                adjustment.name = "Merverdi ved kjøp av Datter To"
                adjustment.line_id = goodwill
                adjustment.amount = 12000
        self.assertIn("KONSERN_GROUP_UNBALANCED", [i["rule_id"] for i in account._brg_issues()])
        account.group_adjustment_ids = [
            Command.create(
                {"name": "Merverdi ved kjøp av Datter To", "line_id": equity.id, "amount": 12000}
            )
        ]
        expected = dict(
            EXPECTED,
            **{"219": (1052000, 660000), "251": (1052000, 660000), "3274": (466000, 134000)},
        )
        self.assertEqual(self.figures(account), self.expected(expected))
        self.assertNotIn("KONSERN_GROUP_UNBALANCED", [i["rule_id"] for i in account._brg_issues()])
        self.assertIn("Adjustments", str(account.group_worksheet_html))
        sums = self.env["annual.statement.line"].search([("code", "=", "219")])
        with self.assertRaisesRegex(ValidationError, "sum or a heading"):
            account.group_adjustment_ids[0].line_id = sums

    def test_an_imported_set_replaces_the_consolidation(self):
        account = self.filing()
        wizard = self.env["annual.group.accounts.import"].create(
            {
                "account_id": account.id,
                "file": base64.b64encode(CSV.encode()),
                "filename": "konsern.csv",
            }
        )
        wizard.action_import()
        group = account.group_accounts_id
        self.assertEqual((group.source, group.import_filename), ("import", "konsern.csv"))
        self.assertEqual(self.figures(account), self.expected())
        self.assertFalse(group.eliminations)
        self.assertEqual(len(group.member_ids), 3)  # who is in it, from the ownership
        self.assertFalse(group.member_ids.filtered("has_figures"))
        # a bad file names its rows and changes nothing
        bad = CSV.replace("219;1040000;660000", "219;1040001;660000").replace("82;", "7965;")
        wizard = self.env["annual.group.accounts.import"].create(
            {
                "account_id": account.id,
                "file": base64.b64encode(bad.encode()),
                "filename": "konsern.csv",
            }
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("Row 3: 7965 is last year's field code of line 1340", str(caught.exception))
        self.assertEqual(self.figures(account), self.expected())

    # ------------------------------------------------------------------------------------------
    # Refusals
    # ------------------------------------------------------------------------------------------

    def test_ownership_in_a_circle_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot own itself"):
            self.mor.partner_id.l10n_no_aa_group_parent_id = self.to.partner_id
        # past the partner's check (an import by SQL): the consolidation refuses it too
        self.env.cr.execute(
            sql.SQL(
                "UPDATE res_partner SET l10n_no_aa_group_parent_id = %s,"
                " l10n_no_aa_group_shares_pct = 60 WHERE id = %s"
            ),
            (self.to.partner_id.id, self.mor.partner_id.id),
        )
        self.env["res.partner"].invalidate_model()
        account = self.filing()
        with self.assertRaisesRegex(UserError, "goes round in a circle"):
            account.action_group_consolidate()
        self.assertFalse(account.group_accounts_id.source)

    def test_a_subsidiary_in_another_currency_is_refused(self):
        account = self.filing()
        eur = self.env.ref("base.EUR")
        self.env.cr.execute(
            "UPDATE res_company SET currency_id = %s WHERE id = %s", (eur.id, self.to.id)
        )
        self.env["res.company"].invalidate_model(["currency_id"])
        with self.assertRaisesRegex(UserError, r"Datter To AS \(EUR\).*import"):
            account.action_group_consolidate()

    def test_a_subsidiary_with_another_financial_year_is_taken_for_the_parents(self):
        self.to.write({"fiscalyear_last_month": "6", "fiscalyear_last_day": 30})
        account = self.filing()
        account.action_group_consolidate()
        self.assertEqual(self.figures(account), self.expected())  # the parent's period
        [finding] = account.group_accounts_id.findings
        self.assertEqual(finding["code"], "PERIOD_DIFFERS")
        issues = {i["rule_id"]: i for i in account._brg_issues()}
        self.assertEqual(issues["KONSERN_PERIOD_DIFFERS"]["severity"], "warning")
        self.assertIn("01.07.2024–30.06.2025", issues["KONSERN_PERIOD_DIFFERS"]["message"])

    def test_a_subsidiary_the_user_cannot_access_is_never_read(self):
        account = self.filing()
        user = create_accountant(self.env, "konsern_regnskap", self.mor | self.en)
        as_user = account.with_user(user).with_context(allowed_company_ids=self.mor.ids)
        with self.assertRaisesRegex(AccessError, "Datter To AS.*import"):
            as_user.action_group_consolidate()
        self.assertFalse(account.group_accounts_id.source)
        # consolidated by someone who may: the user sees the group, not Datter To's column
        account.action_group_consolidate()
        self.env.invalidate_all()  # what the user reads next, as in a request of their own
        members = as_user.group_accounts_id.member_ids
        self.assertEqual(members.mapped("name"), ["Mor AS", "Datter En AS"])
        self.assertFalse(
            self.env["annual.group.accounts.member"]
            .with_user(user)
            .search([("member_company_id", "=", self.to.id)])
        )
        self.assertIn("1 of the group's companies are not shown", str(as_user.group_worksheet_html))
        self.assertEqual(self.figures(as_user), self.expected())
        # and it cannot import over another company's filing
        other = self.env["annual.account"]._create_draft(self.to, 2025)
        with self.assertRaises(AccessError):
            self.env["annual.group.accounts.import"].with_user(user).create(
                {"account_id": other.id, "file": base64.b64encode(CSV.encode())}
            ).action_import()

    def test_a_company_that_files_no_group_accounts_has_none(self):
        account = self.filing(group_accounts=False)
        self.assertEqual(account._brg_group_filing_data(), {})
        with self.assertRaisesRegex(UserError, "tick Parent Company and Group Accounts"):
            account.action_group_consolidate()

    def test_the_figures_change_only_by_consolidating_or_importing(self):
        account = self.filing()
        account.action_group_consolidate()
        group = account.group_accounts_id
        user = create_accountant(self.env, "konsern_rpc", self.mor | self.en | self.to)
        with self.assertRaisesRegex(UserError, "only by consolidating or importing"):
            group.with_user(user).write({"base_figures": {"786": ["1.00", "0.00"]}})
        with self.assertRaisesRegex(UserError, "only by consolidating or importing"):
            self.env["annual.group.accounts"].with_user(user).create(
                {"account_id": account.id, "source": "import"}
            )
        with self.assertRaises(AccessError):
            group.member_ids[1].with_user(user).write({"shares_pct": 50})
        self.assertEqual(self.figures(account), self.expected())
