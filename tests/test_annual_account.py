import threading
from datetime import date
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..controllers.api_annual_accounts import submission_json
from .annual_account_common import AnnualAccountCommon
from .common import create_accountant


@tagged("post_install", "-at_install")
class TestAnnualAccount(AnnualAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = create_accountant(cls.env, "regnskap", cls.company)
        cls.boss = create_accountant(cls.env, "regnskapssjef", cls.company, manager=True)

    # ------------------------------------------------------------------------------------------
    # Creating a draft
    # ------------------------------------------------------------------------------------------

    def test_draft_holds_the_seed_attributes_and_the_company_defaults(self):
        account = self.create_draft()
        self.assertRecordValues(
            account,
            [
                {
                    "company_id": self.company.id,
                    "reporting_year": 2025,
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 12, 31),
                    "state": "draft",
                    "altinn_state": "none",
                    "main_form_id": "RR-0002",
                    "sub_form_id": "RR-0002-U",
                    "deadline": date(2026, 7, 31),
                    "org_form": "AS",
                    "small_enterprise": True,
                    "not_audited": True,
                    "general_manager_id": self.manager.id,
                    "approval_confirmed_by": "Åse Kjølås Ødegård",
                    "contact_email": "okonomi@fjordlys.no",
                }
            ],
        )
        self.assertEqual(account.board_member_ids, self.board)
        self.assertEqual(self.line(account, "RES-20")["amount"], "200000.00")
        self.assertEqual(self.line(account, "RES-400")["amount"], "87391.20")
        self.assertEqual(self.line(account, "RES-400")["prior_amount"], "23400.00")

    def test_bad_input_changes_nothing(self):
        Account = self.env["annual.account"]
        for year in ("tjuefem", None, 99999):
            with self.assertRaises(UserError):
                Account._create_draft(self.company, year)
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            Account._create_draft(self.company, 2025, "2025-12-31", "2025-01-01")
        with self.assertRaises(AccessError):
            Account._create_draft(999999, 2025)
        self.assertFalse(Account.search([("company_id", "=", self.company.id)]))

    def test_api_serialisation(self):
        account = self.create_draft()
        data = submission_json(account)
        self.assertEqual(
            {k: v for k, v in data.items() if k not in ("created_at", "updated_at")},
            {
                "id": account.id,
                "client_account_id": self.company.id,
                "reporting_year": 2025,
                "from_date": "2025-01-01",
                "to_date": "2025-12-31",
                "status": "DRAFT",
                "altinn_instance_id": None,
                "main_form_id": "RR-0002",
                "sub_form_id": "RR-0002-U",
                "submitted_at": None,
                "error_message": None,
                "created_by_id": self.env.uid,
            },
        )
        self.assertRegex(data["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertRegex(data["updated_at"], r"Z$")

    def test_one_active_filing_per_company_and_year(self):
        first = self.create_draft()
        with self.assertRaisesRegex(UserError, "already has annual accounts for 2025"):
            self.create_draft()
        with self.assertRaises(ValidationError):
            self.env["annual.account"].create(
                {
                    "company_id": self.company.id,
                    "reporting_year": 2025,
                    "date_from": "2025-01-01",
                    "date_to": "2025-12-31",
                }
            )
        self.create_draft(company=self.other_company)  # another company: its own filing
        self.create_draft(year=2024)  # another year
        with self.assertRaisesRegex(UserError, "already has annual accounts"):
            first.action_create_correction()
        first.action_cancel()
        action = first.action_create_correction()  # after CANCELLED, a correction is allowed
        correction = self.env["annual.account"].browse(action["res_id"])
        self.assertNotEqual(correction, first)
        self.assertEqual((correction.state, correction.reporting_year), ("draft", 2025))
        self.assertEqual(first.state, "cancelled")

    def test_snapshot_unchanged_by_a_new_posting_until_recompute(self):
        account = self.create_draft()
        self.make_entry("2025-11-01", [("1500", 1000), ("3000", -1000)])
        self.env.invalidate_all()
        self.assertEqual(self.line(account, "RES-20")["amount"], "200000.00")
        self.assertEqual(
            account.note_ids.filtered(lambda n: n.key == "egenkapital").body["rows"][1][3],
            "87391.00",
        )
        account.action_recompute()
        self.assertEqual(self.line(account, "RES-20")["amount"], "201000.00")
        self.assertEqual(self.line(account, "RES-400")["amount"], "88391.20")
        message = account.message_ids[0].body
        self.assertIn("Salgsinntekt", message)
        self.assertIn("200000.00", message)
        self.assertIn("201000.00", message)
        self.assertNotIn("Annen driftsinntekt", message)  # unchanged lines are not listed
        result = account.note_ids.filtered(lambda n: n.key == "egenkapital").body["rows"][1]
        self.assertEqual(result, ["Årets resultat", "0.00", "0.00", "88391.00", "88391.00"])

    def test_recompute_without_change_says_so(self):
        account = self.create_draft()
        account.action_recompute()
        self.assertIn("nothing changed", account.message_ids[0].body)

    def test_two_concurrent_creates_make_one_filing(self):
        """Two transactions create the same draft at the same time: one wins, the other gets a
        clear error (the partial unique index decides, not the Python check)."""
        dbname, company_id, year = self.env.cr.dbname, self.env.ref("base.main_company").id, 2031
        first_inserted, results = threading.Event(), {}

        def create(name, wait_for=None, hold=False):
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '20s'")
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    if wait_for:
                        wait_for.wait(20)
                    with patch.object(type(env["annual.account.note"]), "_sync_proposals"):
                        account = env["annual.account"]._create_draft(company_id, year)
                    if hold:
                        first_inserted.set()
                        threading.Event().wait(1.5)  # the other one is inserting meanwhile
                    cr.commit()  # pylint: disable=invalid-commit
                    results[name] = account.id
                except Exception as error:  # noqa: BLE001
                    first_inserted.set()
                    cr.rollback()
                    results[name] = error

        threads = [
            threading.Thread(target=create, args=("a", None, True)),
            threading.Thread(target=create, args=("b", first_inserted)),
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            self.assertIsInstance(results["a"], int)
            self.assertIsInstance(results["b"], UserError)
            self.assertIn("already has annual accounts for 2031", str(results["b"]))
        finally:
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute(
                    "DELETE FROM annual_account WHERE company_id = %s AND reporting_year = %s",
                    [company_id, year],
                )
                cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------------------------------

    def test_allowed_actions_per_state(self):
        account = self.create_draft()
        self.assertEqual(
            account._get_allowed_actions(), {"recompute", "edit_notes", "submit", "cancel"}
        )
        self.move_to(account, state="submitted")
        self.assertEqual(
            account._get_allowed_actions(), {"cancel", "record_decision", "refresh_status"}
        )
        self.assertEqual(
            account.with_user(self.accountant)._get_allowed_actions(),
            {"record_decision", "refresh_status"},
        )
        account._record_decision(False, "Mangler noter")
        self.assertEqual((account.state, account.error_message), ("rejected", "Mangler noter"))
        self.assertEqual(account._get_allowed_actions(), set())

    def test_seed_messages_on_wrong_transitions(self):
        account = self.create_draft()
        self.move_to(account, state="submitted")
        with self.assertRaisesRegex(UserError, "^Only DRAFT annual accounts can be submitted$"):
            account.action_submit()
        with self.assertRaisesRegex(AccessError, "administrators"):
            account.with_user(self.accountant).action_cancel()
        with patch.object(type(account), "_altinn_cancel") as altinn_cancel:
            account.with_user(self.boss).action_cancel()
        altinn_cancel.assert_called_once()
        self.assertEqual(account.state, "cancelled")
        with self.assertRaisesRegex(
            UserError, "^Only DRAFT and SUBMITTED annual accounts can be cancelled$"
        ):
            account.action_cancel()

    def test_state_changes_only_along_the_drawn_transitions(self):
        account = self.create_draft()
        for state in ("approved", "rejected"):
            with self.assertRaisesRegex(UserError, "cannot go from DRAFT"):
                self.move_to(account, state=state)
        with self.assertRaisesRegex(UserError, "DRAFT"):
            account._record_decision(True)
        self.move_to(account, state="submitted")
        with self.assertRaisesRegex(UserError, "cannot go from SUBMITTED to DRAFT"):
            self.move_to(account, state="draft")
        with self.assertRaisesRegex(UserError, "no longer a draft: Date of Approval"):
            account.write({"approval_date": "2026-06-01"})
        with self.assertRaisesRegex(UserError, "no longer a draft: Full-time Equivalents"):
            account.write({"full_time_equivalents": 3})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            account.unlink()

    def test_cancelling_a_draft_never_sent_does_not_call_altinn(self):
        account = self.create_draft()
        attempts = type(self.env["annual.altinn.attempt"])
        with patch.object(attempts, "_delete") as delete:
            account.with_user(self.accountant).action_cancel()
        delete.assert_not_called()
        self.assertEqual(account.state, "cancelled")

    # ------------------------------------------------------------------------------------------
    # Submission checks
    # ------------------------------------------------------------------------------------------

    def test_submit_reaches_the_altinn_hook_when_everything_passes(self):
        account = self.ready_draft()
        with self.assertRaisesRegex(UserError, "Altinn submission is not configured"):
            account.action_submit()
        with patch.object(type(account), "_altinn_submit") as altinn_submit:
            account.action_submit()
        altinn_submit.assert_called_once()

    def test_submit_refused_with_error_findings(self):
        self.env["account.account"].create(
            {
                "code": "9100",
                "name": "Unmapped",
                "account_type": "asset_current",
                "company_ids": [(6, 0, self.company.ids)],
            }
        )
        self.make_entry("2025-10-01", [("9100", 500), ("1920", -500)])
        account = self.ready_draft()
        self.assertTrue(account.has_error_findings)
        with self.assertRaisesRegex(UserError, "9100"):
            account.action_submit()
        self.assertEqual(account.state, "draft")

    def test_submit_refused_on_brg_errors_and_unaccepted_warnings(self):
        # Half the result allocated: BRG warns that 7071 differs from 172 (MYK_VAL_7071).
        self.make_entry("2025-12-31", [("8960", 50000), ("2050", -50000)])
        account = self.create_draft(full_time_equivalents=1.5)
        with self.assertRaisesRegex(UserError, "VAL_17105"):
            account.action_submit()  # no date of approval: BRG's own rule and wording
        account.approval_date = "2026-05-20"
        self.assertEqual((account.brg_error_count, account.brg_warning_count), (0, 1))
        self.assertIn("MYK_VAL_7071", account.brg_issues_html)
        with self.assertRaisesRegex(UserError, "Warnings Accepted"):
            account.action_submit()
        account.brg_warnings_accepted = True
        with patch.object(type(account), "_altinn_submit") as altinn_submit:
            account.action_submit()
        altinn_submit.assert_called_once()

    # ------------------------------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------------------------------

    def test_record_rules_between_two_companies(self):
        mine = self.create_draft()
        theirs = self.create_draft(company=self.other_company)
        accountant = self.accountant  # has self.company only
        Account = self.env["annual.account"].with_user(accountant)
        self.assertEqual(Account.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(accountant).read(["state"])
        with self.assertRaises(AccessError):
            theirs.note_ids[0].with_user(accountant).read(["title"])
        with self.assertRaises(AccessError):
            Account._create_draft(self.other_company, 2024)
        self.assertEqual(
            self.env["annual.account.note"].with_user(accountant).search([]).annual_account_id,
            mine,
        )
        self.assertEqual(
            self.env["annual.account.overview"].with_user(accountant).search([]).company_id,
            self.company,
        )
        created = Account._create_draft(self.company, 2024)
        self.assertEqual(created.create_uid, accountant)

    # ------------------------------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------------------------------

    def test_deadline_for_calendar_year_and_year_ending_in_june(self):
        self.assertEqual(self.create_draft().deadline, date(2026, 7, 31))
        self.other_company.write({"fiscalyear_last_month": "6", "fiscalyear_last_day": 30})
        account = self.create_draft(company=self.other_company)
        self.assertRecordValues(
            account,
            [
                {
                    "date_from": date(2024, 7, 1),
                    "date_to": date(2025, 6, 30),
                    "deadline": date(2026, 1, 31),
                }
            ],
        )

    def test_one_financial_year_for_filing_allocation_engine_api_and_overview(self):
        """A year ending in February ends on its last day, 29 February in a leap year, for
        every part that needs the period (they once disagreed: 28.2 against 29.2)."""
        company = self.other_company
        company.write({"fiscalyear_last_month": "2", "fiscalyear_last_day": 28})
        period = (date(2023, 3, 1), date(2024, 2, 29))
        self.assertEqual(company._l10n_no_aa_financial_year(2024), period)
        filing = self.create_draft(company=company, year=2024)
        allocation = self.env["annual.allocation"].browse(
            self.env["annual.allocation"].action_open_for(company, 2024)["res_id"]
        )
        snapshot = self.engine.compute(company, reporting_year=2024)
        self.assertEqual((filing.date_from, filing.date_to), period)
        self.assertEqual((allocation.date_from, allocation.date_to), period)
        self.assertEqual((snapshot["date_from"], snapshot["date_to"]), ("2023-03-01", "2024-02-29"))
        self.assertEqual(self.engine._period(date_to="2024-02-29", company=company), period)
        self.env.flush_all()
        rows = self.env["annual.account.overview"].search([("company_id", "=", company.id)])
        self.assertTrue(rows.filtered(lambda r: not r.annual_account_id))
        for row in rows:
            self.assertEqual(row.date_to, company._l10n_no_aa_financial_year(row.reporting_year)[1])
