from decimal import Decimal

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class AnnualAccountsCommon(AccountTestInvoicingCommon):
    """A Norwegian AS on Odoo's Norwegian chart (l10n_no), and helpers to post entries.

    ``cls.company`` is the test company (NOK, NS 4102 chart); ``cls.other_company`` a second
    Norwegian company for isolation tests.
    """

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Annen Klient AS")["company"]
        cls.env.user.company_ids |= cls.other_company
        cls.engine = cls.env["annual.statement.engine"]

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    @classmethod
    def account(cls, code, company=None):
        """The account with ``code`` in ``company`` (default the test company)."""
        company = company or cls.company
        account = (
            cls.env["account.account"]
            .with_company(company)
            .search([("code", "=", code), ("company_ids", "in", company.id)], limit=1)
        )
        assert account, f"no account {code} in {company.name}"
        return account

    @classmethod
    def make_entry(cls, date, lines, company=None, ref=None, post=True):
        """A journal entry on ``date`` from ``[(account code, balance)]`` (debit positive).

        Posted by default; ``post=False`` leaves it draft.
        """
        company = company or cls.company
        journal = cls.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
        )
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": fields.Date.to_date(date),
                    "ref": ref or f"Test {date}",
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": cls.account(code, company).id,
                                "name": ref or code,
                                "debit": float(max(Decimal(str(balance)), 0)),
                                "credit": float(max(-Decimal(str(balance)), 0)),
                            }
                        )
                        for code, balance in lines
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @staticmethod
    def amounts(snapshot, prior=False):
        """``{field code: Decimal}`` of a snapshot's lines (last year's codes with ``prior``)."""
        code, amount = ("prior_code", "prior_amount") if prior else ("code", "amount")
        return {
            line[code]: Decimal(line[amount])
            for line in snapshot["lines"]
            if line["kind"] != "header"
        }

    @staticmethod
    def finding_codes(snapshot, severity=None):
        return [f["code"] for f in snapshot["findings"] if severity in (None, f["severity"])]
