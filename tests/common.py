from decimal import Decimal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..tools import ledger_generator
from .ledger import post_entries

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


def post_generated_ledger(env, company, year, size=2000, seed=1, bulk=None):
    """Post the generated two-year ledger of ``tools/ledger_generator`` (``year - 1`` and
    ``year``, about ``size`` journal items) into ``company``; returns its entries."""
    entries = ledger_generator.generate_entries(year, size=size, seed=seed)
    return post_entries(env, company, entries, bulk=bulk)


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
    def post_hand_ledger(cls):
        """A small AS whose statements are computed by hand in test_statement_engine: 2024
        allocated, 2025 not."""
        e = cls.make_entry
        # 2024
        e("2024-01-05", [("1920", 100000), ("2000", -100000)])
        e("2024-03-01", [("1500", 125000), ("3000", -100000), ("2700", -25000)])
        e("2024-03-20", [("1920", 125000), ("1500", -125000)])
        e("2024-05-01", [("4300", 40000), ("2710", 10000), ("2400", -50000)])
        e("2024-06-30", [("5000", 30000), ("1920", -30000)])
        e("2024-12-31", [("8300", 6600), ("2500", -6600)])
        e("2024-12-31", [("8920", 10000), ("2800", -10000), ("8960", 13400), ("2050", -13400)])
        # 2025
        e("2025-02-01", [("1920", 200000), ("2220", -200000)])
        e("2025-02-15", [("1250", 50000), ("1920", -50000)])
        e("2025-04-10", [("1500", 250000), ("3000", -200000), ("2700", -50000)])
        e("2025-05-01", [("1920", 5000), ("3900", -5000)])
        e("2025-06-30", [("5000", 60000), ("5400", 8460), ("1920", -60000), ("2770", -8460)])
        e("2025-06-30", [("2800", 10000), ("1920", -10000)])
        e("2025-07-01", [("8150", 4000), ("1920", -4000)])
        e("2025-08-01", [("1920", 1500), ("8050", -1500)])
        e("2025-12-31", [("6017", 10000), ("1250", -10000)])
        e("2025-12-31", [("6300", 12000), ("1920", -12000)])
        e("2025-12-31", [("8300", Decimal("24648.80")), ("2500", Decimal("-24648.80"))])

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
