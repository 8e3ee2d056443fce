from decimal import Decimal as D

from .common import AnnualAccountsCommon

ORGNR = "914778271"


class AnnualAccountCommon(AnnualAccountsCommon):
    """The hand-computed AS of ``test_statement_engine`` (2024 allocated, 2025 not) set up for
    filing: valid organisation number, general manager, board, approval answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.post_ledger()
        cls.manager = cls.env["res.partner"].create({"name": "Åse Kjølås Ødegård"})
        cls.board = cls.env["res.partner"].create(
            [{"name": "Kari Nordmann"}, {"name": "Øystein Bærum"}]
        )
        cls.company.write(
            {
                "name": "Fjordlys Rørlegger AS",
                "l10n_no_bronnoysund_number": ORGNR,
                "city": "Ålesund",
                "l10n_no_aa_general_manager_id": cls.manager.id,
                "l10n_no_aa_board_member_ids": [(6, 0, cls.board.ids)],
                "l10n_no_aa_not_audited": True,
                "l10n_no_aa_prepared_by_authorised_accountant": True,
                "l10n_no_aa_contact_email": "okonomi@fjordlys.no",
            }
        )

    @classmethod
    def post_ledger(cls):
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
        e("2025-12-31", [("8300", D("24648.80")), ("2500", D("-24648.80"))])

    def create_draft(self, company=None, year=2025, **vals):
        account = self.env["annual.account"]._create_draft(company or self.company, year)
        if vals:
            account.write(vals)
        return account

    def ready_draft(self, **vals):
        """A draft BRG would accept: approved after the year end, warnings accepted."""
        vals = {
            "approval_date": "2026-05-20",
            "full_time_equivalents": 1.5,
            "brg_warnings_accepted": True,
            **vals,
        }
        return self.create_draft(**vals)

    @staticmethod
    def line(account, key):
        return next(line for line in account.snapshot["lines"] if line["key"] == key)
