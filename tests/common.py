from decimal import Decimal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

_KEY_CACHE = {}


def rsa_private_pem(bits=2048, name="default"):
    """A fresh RSA key in PEM, generated once per test run and name."""
    if (name, bits) not in _KEY_CACHE:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        _KEY_CACHE[name, bits] = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return _KEY_CACHE[name, bits]


CLIENT_ID = "2f6c7a4e-1b3d-4c5e-9f00-112233445566"
OTHER_CLIENT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f99887766"


def create_accountant(env, login, companies, manager=False):
    """An accountant (or accounting manager) who is not a system administrator."""
    group = "account.group_account_manager" if manager else "account.group_account_user"
    return new_test_user(
        env,
        login=login,
        groups=f"base.group_user,{group}",
        company_id=companies[0].id,
        company_ids=[(6, 0, companies.ids)],
    )


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
