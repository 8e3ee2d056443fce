from .common import AnnualAccountsCommon

ORGNR = "914778271"


class AnnualAccountCommon(AnnualAccountsCommon):
    """The hand-computed AS of ``test_statement_engine`` (2024 allocated, 2025 not) set up for
    filing: valid organisation number, general manager, board, approval answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.post_hand_ledger()
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
    def move_to(account, **vals):
        """Put ``account`` where its lifecycle would (Altinn's answers, BRG's decision)
        without going through Altinn: the state only changes inside ``_lifecycle``."""
        with account._lifecycle():
            account.write(vals)

    @staticmethod
    def line(account, key):
        return next(line for line in account.snapshot["lines"] if line["key"] == key)
