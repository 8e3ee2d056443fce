from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..controllers.api_allocations import allocation_json, journal_entry_json


class AllocationCommon(AccountTestInvoicingCommon):
    """A Norwegian AS with a small ledger whose figures are easy to follow by hand.

    Opening balance 31.12.2024: share capital 100 000 (2000), own shares at nominal 10 000
    (2010), share premium 50 000 (2020), fund for valuation differences 20 000 (2040), fund
    for unrealised gains 10 000 (2045), other equity 250 000 (2050), cash 420 000.
    2025: sales 300 000, rent 107 700, tax 42 300: result before tax 192 300, result 150 000.

    Equity at 31.12.2025 with the unallocated result:
    100 000 - 10 000 + 50 000 + 30 000 + 250 000 + 150 000 = 570 000.
    Maximum dividend: 570 000 - 100 000 share capital - 30 000 bound funds = 440 000
    (share premium is free since 2013, own shares are already inside equity).
    """

    YEAR = 2025

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "l10n_no_annual_accounts.group_annual_accounts_manager"
        )
        cls.company = cls.company_data["company"]
        cls.company.partner_id.l10n_no_aa_org_form = "AS"
        cls.Allocation = cls.env["annual.allocation"]
        cls.book_demo_ledger(cls.company)

    @classmethod
    def account(cls, code, company=None):
        company = company or cls.company
        Account = cls.env["account.account"].with_company(company)
        return Account.search(
            [*Account._check_company_domain(company), ("code", "=", code)], limit=1
        )

    @classmethod
    def book(cls, company, when, *lines):
        journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1
        )
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "date": when,
                    "journal_id": journal.id,
                    "line_ids": [
                        Command.create(
                            {
                                "name": "demo",
                                "account_id": cls.account(code, company).id,
                                "debit": debit,
                                "credit": credit,
                            }
                        )
                        for code, debit, credit in lines
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def book_demo_ledger(cls, company):
        cls.book(
            company,
            "2024-12-31",
            ("1900", 420000, 0),
            ("2010", 10000, 0),
            ("2000", 0, 100000),
            ("2020", 0, 50000),
            ("2040", 0, 20000),
            ("2045", 0, 10000),
            ("2050", 0, 250000),
        )
        cls.book(company, "2025-06-30", ("1900", 300000, 0), ("3000", 0, 300000))
        cls.book(company, "2025-09-30", ("6300", 107700, 0), ("1900", 0, 107700))
        cls.book(company, "2025-12-31", ("8300", 42300, 0), ("2500", 0, 42300))

    # -- helpers --

    def payload(self, dividend="100000.00", transfer="50000.00", **overrides):
        """A final allocation: dividend, the rest of the 150 000 to other equity."""
        lines = [
            {"account_code": "8920", "debit": dividend, "credit": "0"},
            {"account_code": "2800", "debit": "0", "credit": dividend},
            {"account_code": "8960", "debit": transfer, "credit": "0"},
            {"account_code": "2050", "debit": "0", "credit": transfer},
        ]
        return {
            "is_draft": False,
            "structured_data": {"dividend": dividend, "board_confirmation": True},
            "lines": lines,
        } | overrides

    def post(self, payload, company=None, Allocation=None):
        """What POST /annual-allocations answers (the model's upsert, the API's shape)."""
        Allocation = self.Allocation if Allocation is None else Allocation
        allocation, reversals = Allocation._save_request(
            company or self.company, self.YEAR, payload
        )
        return journal_entry_json(allocation, reversals)

    def get(self, company=None, Allocation=None):
        """What GET /annual-allocations answers."""
        company = company or self.company
        Allocation = self.Allocation if Allocation is None else Allocation
        return allocation_json(company, *Allocation._calculation(company, self.YEAR))

    def counts(self):
        """What a refused call must not leave behind."""
        return (
            self.env["annual.allocation"].search_count([]),
            self.env["account.move"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "annual.allocation")]),
        )

    def assert_refused(self, payload, exception, *fragments):
        before = self.counts()
        with self.assertRaises(exception) as caught:
            self.post(payload)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(self.counts(), before)
        return caught.exception
