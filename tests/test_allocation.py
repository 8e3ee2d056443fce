import subprocess
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..tools.amounts import MAX_AMOUNT
from .allocation_common import AllocationCommon
from .common import post_generated_ledger


@tagged("post_install", "-at_install")
class TestAllocation(AllocationCommon):
    # ------------------------------------------------------------
    # The calculation
    # ------------------------------------------------------------

    def test_max_dividend_by_hand(self):
        data = self.get()
        self.assertIsNone(data["document"])
        self.assertEqual(data["currency_code"], "NOK")
        ceiling = data["max_dividend"]
        self.assertEqual(ceiling["basis"]["source"], "ledger")
        self.assertEqual(ceiling["basis"]["date_to"], "2025-12-31")
        self.assertEqual(ceiling["total"], "440000.00")
        components = {c["key"]: c for c in ceiling["components"]}
        self.assertEqual(
            {key: c["effect"] for key, c in components.items()},
            {
                "equity": "570000.00",
                "distributions_booked": "0.00",
                "dividends_paid_in_year": "0.00",
                "share_capital": "-100000.00",
                "unregistered_capital_increase": "0.00",
                "bound_funds": "-30000.00",
                "dividend_reserve": "0.00",
                "own_shares": "0.00",
                "credit_before_balance_date": "0.00",
                "dividends_after_balance_date": "0.00",
                "group_contributions_after_balance_date": "0.00",
                "credit_after_balance_date": "0.00",
                "own_shares_after_balance_date": "0.00",
                "gifts_after_balance_date": "0.00",
                "capital_reduction_payouts_after_balance_date": "0.00",
            },
        )
        own = components["own_shares"]
        self.assertEqual((own["amount"], own["included_in_equity"]), ("-10000.00", True))
        self.assertEqual([a["code"] for a in own["accounts"]], ["2010"])
        self.assertEqual(
            sorted(a["code"] for a in components["bound_funds"]["accounts"]), ["2040", "2045"]
        )
        # Nothing entered: the whole result goes to other equity.
        self.assertEqual(
            [(x["account_code"], x["debit"], x["credit"]) for x in data["suggested_lines"]],
            [("8960", "150000.00", "0.00"), ("2050", "0.00", "150000.00")],
        )

    def test_max_dividend_of_the_generated_demo_company(self):
        """The demo database's company (scripts/run): share capital 100 000, no own shares or
        funds, last year allocated (half as dividend, the rest to 2050), this year not. The
        maximum is therefore other equity plus this year's result, totalled from the entries
        themselves rather than from the statements."""
        demo = self.setup_other_company(name="Demo Regnskap AS")["company"]
        self.env.user.company_ids |= demo
        entries = post_generated_ledger(self.env, demo, self.YEAR, size=600)

        def total(accept, year=None):
            return sum(
                balance
                for entry in entries
                if year is None or entry.date.year == year
                for code, balance, _label in entry.lines
                if accept(code)
            )

        result = -total(lambda code: "3000" <= code < "8900", year=self.YEAR)
        other_equity = -total(lambda code: code == "2050")
        self.assertGreater(result, 0)
        self.assertGreater(other_equity, 0)
        ceiling = self.get(demo)["max_dividend"]
        effects = {c["key"]: c["effect"] for c in ceiling["components"]}
        self.assertEqual(effects["share_capital"], "-100000.00")
        self.assertEqual(effects["bound_funds"], "0.00")
        self.assertEqual(ceiling["total"], f"{other_equity + result:.2f}")

    def test_inputs_after_the_balance_date_lower_the_maximum(self):
        self.post(
            {
                "is_draft": True,
                "structured_data": {
                    "dividends_after_balance_date": "40000",
                    "credit_after_balance_date": "5000",
                },
            }
        )
        data = self.get()
        self.assertEqual(data["max_dividend"]["total"], "395000.00")  # 440 000 - 40 000 - 5 000
        self.assertEqual(
            data["document"]["structured_data"]["credit_after_balance_date"], "5000.00"
        )
        self.assertTrue(data["document"]["is_draft"])

    # ------------------------------------------------------------
    # Refusals: nothing written
    # ------------------------------------------------------------

    def test_dividend_over_the_maximum_is_refused(self):
        payload = self.payload(dividend="440000.01", transfer="0.01")
        self.assert_refused(payload, UserError, "structured_data.dividend", "8-1")

    def test_dividend_at_the_maximum_is_posted(self):
        result = self.post(self.payload(dividend="440000.00", transfer="0.01"))
        self.assertEqual(result["state"], "posted")

    def test_final_needs_the_board_confirmation(self):
        payload = self.payload()
        payload["structured_data"]["board_confirmation"] = False
        self.assert_refused(payload, UserError, "structured_data.board_confirmation")

    def test_unbalanced_and_single_line_final_entries_are_refused(self):
        unbalanced = self.payload()
        unbalanced["lines"][0]["debit"] = "100000.01"
        self.assert_refused(unbalanced, ValidationError, "lines", "balance")
        single = self.payload(lines=[{"account_code": "8920", "debit": "1", "credit": "0"}])
        self.assert_refused(single, ValidationError, "lines", "two lines")
        self.assert_refused(self.payload(lines=None), ValidationError, "lines")

    def test_a_failure_while_writing_leaves_nothing_behind(self):
        self.post(dict(self.payload(), is_draft=True))  # a draft move to be replaced
        before = self.counts()
        draft = self.Allocation.search([])
        with (
            patch.object(type(self.Allocation), "_generate_pdf", side_effect=UserError("boom")),
            self.assertRaises(UserError),
        ):
            self.post(self.payload())
        self.assertEqual(self.counts(), before)
        self.assertRecordValues(draft, [{"state": "draft"}])
        self.assertEqual(draft.move_id.state, "draft")

    def test_invalid_inputs_name_the_field(self):
        payload = self.payload()
        payload["structured_data"]["dividend"] = "-5"
        payload["lines"][2]["account_code"] = "89601"
        self.assert_refused(
            payload, ValidationError, "structured_data.dividend", "lines[2].account_code"
        )

    def test_draft_may_be_partial(self):
        result = self.post(
            {
                "is_draft": True,
                "lines": [{"account_code": "8920", "debit": "1000", "credit": "0"}],
                "structured_data": {"dividend": "1000"},
            }
        )
        self.assertIsNone(result["id"])
        self.assertTrue(result["is_draft"])
        self.assertEqual([x["account_code"] for x in result["lines"]], ["8920"])

    # ------------------------------------------------------------
    # Posting and regeneration
    # ------------------------------------------------------------

    def test_final_posts_the_entry_and_the_pdf(self):
        result = self.post(self.payload())
        move = self.env["account.move"].browse(result["id"])
        self.assertRecordValues(
            move,
            [{"state": "posted", "date": date(2025, 12, 31), "ref": "Årsavslutning 2025"}],
        )
        self.assertEqual(move.journal_id.type, "general")
        self.assertEqual(
            sorted((x["account_code"], x["debit"], x["credit"]) for x in result["lines"]),
            [
                ("2050", "0.00", "50000.00"),
                ("2800", "0.00", "100000.00"),
                ("8920", "100000.00", "0.00"),
                ("8960", "50000.00", "0.00"),
            ],
        )
        allocation = self.Allocation.browse(result["document_id"])
        self.assertRecordValues(
            allocation,
            [{"document_number": "ÅRSDISP-2025", "state": "posted", "move_id": move.id}],
        )
        # Read back: the ceiling is still the one before allocation (the booked dividend is
        # added back), and the document is final.
        data = self.get()
        self.assertEqual(data["max_dividend"]["total"], "440000.00")
        self.assertEqual(
            {c["key"]: c["effect"] for c in data["max_dividend"]["components"]}[
                "distributions_booked"
            ],
            "100000.00",
        )
        self.assertFalse(data["document"]["is_draft"])
        self.assertEqual(data["document"]["structured_data"]["dividend"], "100000.00")
        self.assertEqual(data["document"]["journal_entry_id"], move.id)

    def test_pdf_text(self):
        # A real PDF (wkhtmltopdf), read back with pdftotext.
        Allocation = self.Allocation.with_context(force_report_rendering=True)
        result = self.post(self.payload(), Allocation=Allocation)
        allocation = self.Allocation.browse(result["document_id"])
        pdf = allocation.pdf_attachment_id
        self.assertEqual(pdf.name, "Årsdisponering_2025.pdf")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        text = subprocess.run(
            # -layout: the table's rows line by line (it is long enough for pdftotext's
            # default reading to take its columns one after the other)
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
            input=pdf.raw,
            capture_output=True,
            check=True,
        ).stdout.decode()
        text = " ".join(text.split())
        for fragment in (
            "Årsdisponering 2025",
            self.company.name,
            "ÅRSDISP-2025: Årsavslutning 2025",
            f"(bilag {allocation.move_id.name})",
            "8920",
            f"Sum egenkapital (med årets resultat) {allocation._fmt(470000)}",
            f"Utbytte og konsernbidrag allerede bokført for året {allocation._fmt(100000)}",
            f"Maksimalt utbytte {allocation._fmt(440000)}",
            f"Utbytte {allocation._fmt(100000)}",
            f"Egne aksjer (allerede trukket fra i egenkapitalen) ({allocation._fmt(-10000)}",
            "Styret har vurdert at selskapet etter utdelingen har forsvarlig egenkapital",
        ):
            self.assertIn(" ".join(fragment.split()), text)
        self.assertNotIn("Foreslåtte posteringer", text)  # the form's, not the document's

    def test_regeneration_replaces_a_draft_and_reverses_a_posted_entry(self):
        draft = dict(self.payload(), is_draft=True)
        first = self.env["account.move"].browse(self.post(draft)["id"])
        self.assertEqual(first.state, "draft")
        second = self.env["account.move"].browse(self.post(draft)["id"])
        self.assertFalse(first.exists())
        self.assertEqual(second.state, "draft")

        posted = self.env["account.move"].browse(self.post(self.payload())["id"])
        self.assertFalse(second.exists())
        self.assertEqual(posted.state, "posted")

        result = self.post(self.payload(dividend="120000.00", transfer="30000.00"))
        reversal = self.env["account.move"].browse(result["reversal_ids"])
        self.assertRecordValues(
            reversal,
            [{"state": "posted", "reversed_entry_id": posted.id, "date": date(2025, 12, 31)}],
        )
        self.assertEqual(posted.state, "posted")  # kept, not deleted
        allocation = self.Allocation.browse(result["document_id"])
        self.assertEqual(allocation.reversal_move_ids, reversal)
        self.assertNotEqual(allocation.move_id, posted)
        # Dividend payable: 100 000 - 100 000 (reversal) + 120 000.
        payable = self.env["account.move.line"].search(
            [("account_id", "=", self.account("2800").id), ("parent_state", "=", "posted")]
        )
        self.assertAlmostEqual(sum(payable.mapped("balance")), -120000)

        # Back to a draft: the posted entry is reversed too, and its PDF no longer current.
        final = allocation.move_id
        result = self.post(dict(self.payload(), is_draft=True))
        self.assertEqual(
            self.env["account.move"].browse(result["reversal_ids"]).reversed_entry_id, final
        )
        self.assertRecordValues(allocation, [{"state": "draft", "pdf_attachment_id": False}])
        self.assertEqual(allocation.move_id.state, "draft")

    def test_delete(self):
        allocation = self.Allocation.browse(self.post(self.payload())["document_id"])
        with self.assertRaises(UserError):
            allocation.unlink()
        draft_move = self.env["account.move"].browse(
            self.post(dict(self.payload(), is_draft=True))["id"]
        )
        allocation.unlink()
        self.assertFalse(draft_move.exists())

    # ------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------

    def test_multi_company_isolation(self):
        other = self.setup_other_company(name="Other AS")["company"]
        self.env.user.company_ids += other
        self.post(
            {"is_draft": True, "structured_data": {"dividend": "1"}},
            company=other,
            Allocation=self.Allocation.with_company(other),
        )
        outsider = self.env["res.users"].create(
            {
                "name": "Bookkeeper of the first company",
                "login": "alloc_bookkeeper",
                "company_id": self.company.id,
                "company_ids": [self.company.id],
                "groups_id": [
                    self.env.ref("account.group_account_manager").id,
                    self.env.ref("l10n_no_annual_accounts.group_annual_accounts_user").id,
                ],
            }
        )
        Allocation = self.Allocation.with_user(outsider).with_company(self.company)
        with self.assertRaises(AccessError):
            self.get(other, Allocation=Allocation)
        self.assertFalse(Allocation.search([]))
        self.assertIsNone(self.get(Allocation=Allocation)["document"])

    # ------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------

    def test_form_flow(self):
        """From the filing's button to a posted allocation, through the form's buttons."""
        action = self.Allocation.action_open_for(self.company, self.YEAR)
        with Form(self.Allocation.browse(action["res_id"])) as form:
            form.dividend = 60000
            form.board_confirmation = True
        allocation = form.record
        self.assertIn("Maksimalt utbytte", allocation.calculation_html)
        self.assertIn("Foreslåtte posteringer", allocation.calculation_html)
        self.assertEqual(allocation.max_dividend_amount, 440000)
        allocation.action_use_suggested_lines()
        self.assertEqual(
            [(x.account_id.code, x.debit, x.credit) for x in allocation.line_ids],
            [
                ("8920", 60000, 0),
                ("2800", 0, 60000),
                ("8960", 90000, 0),  # 150 000 - 60 000
                ("2050", 0, 90000),
            ],
        )
        allocation.action_save_draft()
        self.assertRecordValues(allocation, [{"state": "draft", "move_state": "draft"}])
        allocation.action_post()
        self.assertRecordValues(allocation, [{"state": "posted", "move_state": "posted"}])
        self.assertTrue(allocation.pdf_attachment_id)
        self.assertEqual(
            self.Allocation.action_open_for(self.company, self.YEAR)["res_id"], allocation.id
        )

    def test_a_posted_allocation_offers_only_reset_and_cancel(self):
        allocation = self.Allocation.browse(self.post(self.payload())["document_id"])
        posted = allocation.move_id
        for action in ("action_save_draft", "action_post", "action_use_suggested_lines"):
            with self.assertRaisesRegex(UserError, "Posted: this cannot be done now", msg=action):
                getattr(allocation, action)()
        with self.assertRaisesRegex(UserError, "already has the allocation ÅRSDISP-2025"):
            allocation.copy()
        with self.assertRaisesRegex(UserError, "no longer a draft: Dividend"):
            allocation.dividend = 1
        with self.assertRaisesRegex(UserError, "no longer a draft: Lines"):
            allocation.line_ids[0].debit = 1
        form = self.env.ref("l10n_no_annual_accounts.view_annual_allocation_form")
        self.assertIn('duplicate="false"', form.arch)

        allocation.action_reset_to_draft()
        self.assertRecordValues(
            allocation, [{"state": "draft", "move_id": False, "pdf_attachment_id": False}]
        )
        self.assertEqual(allocation.reversal_move_ids.reversed_entry_id, posted)
        allocation.action_post()
        reposted = allocation.move_id
        allocation.action_cancel()
        self.assertRecordValues(allocation, [{"state": "cancelled", "move_id": False}])
        self.assertEqual(allocation.reversal_move_ids.reversed_entry_id, posted | reposted)
        with self.assertRaisesRegex(UserError, "Cancelled: this cannot be done now"):
            allocation.action_post()
        allocation.action_reset_to_draft()
        self.assertEqual(allocation.state, "draft")

    def test_the_form_maximum_follows_the_group_contribution_typed(self):
        """The dividend left is the ceiling less the group contribution, before saving."""
        action = self.Allocation.action_open_for(self.company, self.YEAR)
        form = Form(self.Allocation.browse(action["res_id"]))  # not saved
        self.assertEqual(form.max_dividend_amount, 440000)
        form.group_contribution = 40000
        self.assertEqual(form.max_dividend_amount, 400000)
        form.group_contribution = 500000
        self.assertEqual(form.max_dividend_amount, 0)

    def test_amounts_beyond_the_limit_are_refused_naming_field_and_limit(self):
        """Amounts beyond tools/amounts.MAX_AMOUNT are refused; those within read back to the
        øre (tested with 12 digits of kroner: Odoo's float rounding keeps those exact)."""
        exact = "999999999999.99"
        self.post({"is_draft": True, "structured_data": {"credit_after_balance_date": exact}})
        allocation = self.Allocation.search([("company_id", "=", self.company.id)])
        self.assertEqual(allocation.structured_data["credit_after_balance_date"], exact)
        for key in ("dividend", "credit_after_balance_date"):
            payload = {"is_draft": True, "structured_data": {key: "12345678901234567.89"}}
            self.assert_refused(payload, ValidationError, key, f"{MAX_AMOUNT:f}")
        line = {"account_code": "8920", "debit": "10000000000000.00", "credit": "0"}
        self.assert_refused(
            {"is_draft": True, "lines": [line]}, ValidationError, "debit", f"{MAX_AMOUNT:f}"
        )
        self.assertEqual(allocation.structured_data["credit_after_balance_date"], exact)
