import contextlib
import contextvars
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_repr

from ..tools import consolidation, group_figures, group_import, group_worksheet
from ..tools import statement_plan as plan_tools
from ..tools.group_structure import GroupStructureError, Link, group_members
from .annual_group_accounts_messages import elimination_title, finding_message, import_error

# What only the consolidation and the import write (inside ``_storing()``): never an RPC call,
# which would file figures no check has seen.
MANAGED_FIELDS = (
    "source",
    "computed_at",
    "import_filename",
    "member_ids",
    "member_count",
    "base_figures",
    "eliminations",
    "findings",
)
_STORING = contextvars.ContextVar("l10n_no_aa_group_storing", default=False)


class AnnualGroupAccounts(models.Model):
    """The group accounts (konsernregnskap) of a parent's filing: the consolidated figures of
    the parent and its subsidiaries in this database (``tools/consolidation``), or a set the
    user imported, plus the user's adjustments; filed as the second Underskjema (type K).

    What was consolidated stays as it was until the user consolidates or imports again: the
    companies and their figures (``member_ids``, each behind its company's record rule), the
    eliminations, the findings. The parent's filing owns the adjustments and decides, through
    its state, whether anything may change.
    """

    _name = "annual.group.accounts"
    _description = "Group accounts (konsernregnskap)"
    _check_company_auto = True

    account_id = fields.Many2one(
        "annual.account",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    source = fields.Selection(
        [("ledger", "Consolidated in this database"), ("import", "Imported")], readonly=True
    )
    computed_at = fields.Datetime(string="Figures Taken", readonly=True)
    import_filename = fields.Char(string="Imported File", readonly=True)
    member_ids = fields.One2many(
        "annual.group.accounts.member", "group_accounts_id", string="Companies", readonly=True
    )
    member_count = fields.Integer(readonly=True, help="Companies consolidated, visible or not.")
    base_figures = fields.Json(readonly=True, help="The group's leaves before the adjustments.")
    eliminations = fields.Json(readonly=True)
    findings = fields.Json(readonly=True)

    _sql_constraints = [  # noqa: RUF012
        ("account_unique", "UNIQUE(account_id)", "A filing has one set of group accounts."),
    ]

    # ------------------------------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_managed(vals)
        filings = self.env["annual.account"].browse([vals.get("account_id") for vals in vals_list])
        filings.exists()._check_group_editable()
        return super().create(vals_list)

    def write(self, vals):
        self._check_managed(vals)
        if "account_id" in vals:
            raise UserError(_("Group accounts stay with the filing they were made for."))
        return super().write(vals)

    @api.model
    def _check_managed(self, vals):
        given = set(vals) & set(MANAGED_FIELDS)
        if given and not _STORING.get():
            raise UserError(
                _(
                    "The group's figures change only by consolidating or importing them "
                    "(%(fields)s cannot be written directly).",
                    fields=", ".join(sorted(given)),
                )
            )

    @contextlib.contextmanager
    def _storing(self):
        token = _STORING.set(True)
        try:
            yield
        finally:
            _STORING.reset(token)

    # ------------------------------------------------------------------------------------------
    # Consolidating and importing (the filing's buttons)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _for_filing(self, filing):
        filing._check_group_editable()
        return filing.group_accounts_id or self.create({"account_id": filing.id})

    @api.model
    def _consolidate(self, filing):
        """Consolidate the parent and its subsidiaries in this database for ``filing``'s
        period: refused for a subsidiary the user may not access or that keeps its accounts
        in another currency; a subsidiary with another financial year is taken for the
        parent's period from its ledger (interim figures), with a finding."""
        group = self._for_filing(filing)
        members, findings = self._structure(filing.company_id)
        if len(members) < 2:
            raise UserError(self._no_subsidiaries_message(filing.company_id))
        companies = self.env["res.company"].browse([m.company for m in members])
        self._check_members(filing.company_id, companies)
        engine = self.env["annual.statement.engine"]
        snapshots, positions = {}, {}
        partners = {c.partner_id.commercial_partner_id.id: c.id for c in companies}
        for company in companies:
            snapshots[company.id] = engine.compute(company, filing.date_from, filing.date_to)
            positions[company.id] = self._positions(company, snapshots[company.id], partners)
        findings += self._member_findings(filing, companies, snapshots)
        plan = group_figures.Plan.from_snapshot(filing.snapshot)
        figures = {company: group_figures.figures_of(shot) for company, shot in snapshots.items()}
        figures[filing.company_id.id] = group_figures.figures_of(filing.snapshot)
        sheet = consolidation.consolidate(plan, members, figures, positions)
        group._store(members, figures, sheet, findings + sheet["findings"], source="ledger")
        return group

    @api.model
    def _import(self, filing, content, filename):
        """Replace the group's figures with an imported set, checked against BRG's plan and
        sums first (``tools/group_import``); the companies are listed from the ownership."""
        group = self._for_filing(filing)
        plan = group_figures.Plan.from_snapshot(filing.snapshot)
        try:
            figures = group_import.parse(content, filename, plan)
        except group_import.ImportRefused as refused:
            errors = "\n".join(
                import_error(self.env, row, code, params) for row, code, params in refused.errors
            )
            raise UserError(_("The file cannot be imported:\n%(errors)s", errors=errors)) from None
        try:
            members, _findings = self._structure(filing.company_id)
        except UserError:
            members = []  # the set stands on its own; who is in it is then the user's word
        sheet = {"consolidated": figures, "eliminations": []}
        group._store(members, {}, sheet, [], source="import", filename=filename)
        return group

    def _store(self, members, figures, sheet, findings, source, filename=False):
        """Keep what was consolidated or imported; the members' rows (the worksheet's record)
        are rewritten by the system, whoever may see which."""
        names = {m.company: m.name for m in members}
        with self._storing():
            self.sudo().member_ids.unlink()
            self.sudo().write(
                {
                    "source": source,
                    "computed_at": fields.Datetime.now(),
                    "import_filename": filename,
                    "base_figures": group_worksheet.jsonable(sheet["consolidated"]),
                    "eliminations": group_worksheet.jsonable(sheet["eliminations"]),
                    "findings": group_worksheet.jsonable(findings),
                    "member_count": len(members),
                    "member_ids": [
                        fields.Command.create(
                            {
                                "member_company_id": member.company,
                                "name": member.name,
                                "holder_name": names.get(member.holder) or False,
                                "level": member.level,
                                "shares_pct": float(member.shares_pct),
                                "votes_pct": float(member.votes_pct),
                                "effective_pct": float(member.effective_pct),
                                "figures": group_worksheet.jsonable(figures.get(member.company)),
                            }
                        )
                        for member in members
                    ],
                }
            )

    # ------------------------------------------------------------------------------------------
    # Who is in the group, and may the user read them
    # ------------------------------------------------------------------------------------------

    @api.model
    def _structure(self, parent):
        """``(members, findings)`` of ``parent``'s group from the ownership on the partners.
        Read as superuser: the names and shares of the companies, never their figures."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        root = parent.partner_id.commercial_partner_id
        links = {root.id: self._link(root)}
        frontier = root
        while frontier:
            found = Partner.search([("l10n_no_aa_group_parent_id", "in", frontier.ids)])
            found = found.filtered(lambda p: p.id not in links)
            links.update({partner.id: self._link(partner) for partner in found})
            frontier = found
        companies = {
            company.partner_id.commercial_partner_id.id: company.id
            for company in self.env["res.company"].sudo().search([("parent_id", "=", False)])
        }
        companies[root.id] = parent.id
        try:
            return group_members(root.id, links, companies)
        except GroupStructureError as error:
            raise UserError(
                _(
                    "The ownership of %(name)s goes round in a circle: a company cannot own "
                    "itself, directly or through others. Correct the parent companies on the "
                    "partners.",
                    name=error.params["name"],
                )
            ) from None

    @api.model
    def _link(self, partner):
        def pct(value):
            return Decimal(float_repr(value or 0.0, 2))

        holder = partner.l10n_no_aa_group_parent_id.commercial_partner_id
        return Link(
            partner.id,
            partner.display_name,
            holder.id or None,
            pct(partner.l10n_no_aa_group_shares_pct),
            pct(partner.l10n_no_aa_group_votes_pct),
        )

    @api.model
    def _check_members(self, parent, companies):
        """Refuse before any figure is read: a company the user may not access, a company
        in another currency (a translation of its accounts is not made here)."""
        allowed = set(self.env.user._get_company_ids())
        hidden = companies.filtered(lambda c: c.id not in allowed)
        if hidden and not self.env.su:
            raise AccessError(
                _(
                    "The group accounts of %(parent)s need the figures of %(companies)s, which "
                    "you have no access to. Ask for access to them, or import the consolidated "
                    "figures.",
                    parent=parent.name,
                    companies=", ".join(hidden.sudo().mapped("name")),
                )
            )
        foreign = companies.filtered(lambda c: c.currency_id != parent.currency_id)
        if foreign:
            raise UserError(
                _(
                    "%(companies)s keep their accounts in another currency than %(parent)s "
                    "(%(currency)s). Their statements would have to be translated first, which "
                    "is not done here: import the consolidated figures instead.",
                    companies=", ".join(f"{c.name} ({c.currency_id.name})" for c in foreign),
                    parent=parent.name,
                    currency=parent.currency_id.name,
                )
            )

    @api.model
    def _no_subsidiaries_message(self, parent):
        return _(
            "No subsidiary of %(parent)s is a company in this database: record the parent "
            "company and its shares on each subsidiary's partner (above 50 %% of the votes), or "
            "import the consolidated figures.",
            parent=parent.name,
        )

    @api.model
    def _member_findings(self, filing, companies, snapshots):
        findings = []
        parent = filing.company_id
        if group_figures.figures_of(snapshots[parent.id]) != group_figures.figures_of(
            filing.snapshot
        ):
            findings.append({"severity": "error", "code": "PARENT_CHANGED", "params": {}})
        for company in companies - parent:
            start, end = company._l10n_no_aa_financial_year(filing.reporting_year)
            if (start, end) != (filing.date_from, filing.date_to):
                params = {
                    "company": company.name,
                    **{
                        key: day.strftime("%d.%m.%Y")
                        for key, day in (
                            ("start", start),
                            ("end", end),
                            ("group_start", filing.date_from),
                            ("group_end", filing.date_to),
                        )
                    },
                }
                findings.append({"severity": "warning", "code": "PERIOD_DIFFERS", "params": params})
        for company in companies - parent:  # the parent's are its filing's own
            for found in snapshots[company.id]["findings"]:
                if found["severity"] == "error" or found["code"] == "UNALLOCATED_RESULT":
                    params = {"company": company.name, "message": found["message"]}
                    findings.append(
                        {"severity": found["severity"], "code": "MEMBER_FINDING", "params": params}
                    )
        return findings

    # ------------------------------------------------------------------------------------------
    # Internal items by counterparty: the journal items' partners (one query per company)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _positions(self, company, snapshot, partners):
        """``[consolidation.Position]``: per line of ``consolidation.POSITION_CODES``, what the
        company's posted journal items hold for each group company they name (``partners``:
        commercial partner -> company), and what they hold naming no partner."""
        lines = {line["code"]: line for line in snapshot["lines"] if line.get("code")}
        accounts = {}
        for code in consolidation.POSITION_CODES:
            for account in lines[code]["accounts"]:
                if account["account_id"]:
                    accounts[account["account_id"]] = code
        if not accounts:
            return []
        period = (
            fields.Date.to_date(snapshot["date_from"]),
            fields.Date.to_date(snapshot["date_to"]),
        )
        prior = (
            fields.Date.to_date(snapshot["prior_date_from"]),
            fields.Date.to_date(snapshot["prior_date_to"]),
        )
        starts, ranges = plan_tools.date_buckets(period, prior, (None, period[1]), (None, prior[1]))
        engine = self.env["annual.statement.engine"]
        self.env["account.move.line"].flush_model(
            ["account_id", "balance", "company_id", "date", "parent_state", "partner_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.account_id, partner.commercial_partner_id, %(bucket)s,
                       SUM(aml.balance)::text
                  FROM account_move_line aml
             LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE aml.company_id = ANY(%(company_ids)s)
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date_to)s
                   AND aml.account_id = ANY(%(account_ids)s)
              GROUP BY 1, 2, 3
                """,
                bucket=engine._bucket_sql(starts),
                company_ids=engine._company_ids(company),
                date_to=max(period[1], prior[1]),
                account_ids=list(accounts),
            )
        )
        signs = {
            row["code"]: int(row["sign"])
            for row in self.env["annual.statement.line"]._plan_rows()
            if row["code"]
        }
        values = {}
        for account_id, partner_id, bucket, balance in rows:
            if partner_id is not None and partner_id not in partners:
                continue  # a partner outside the group
            code = accounts[account_id]
            counterparty = partners.get(partner_id)
            if counterparty == company.id:
                continue
            measures = (0, 1) if lines[code]["section"] == "RES" else (2, 3)
            entry = values.setdefault((code, counterparty), [Decimal(0), Decimal(0)])
            for column, measure in enumerate(measures):
                if bucket in ranges[measure]:
                    entry[column] += Decimal(balance) * signs[code]
        return [
            consolidation.Position(code, counterparty, tuple(value))
            for (code, counterparty), value in sorted(values.items(), key=str)
            if any(value)
        ]

    # ------------------------------------------------------------------------------------------
    # The group's figures: base plus adjustments
    # ------------------------------------------------------------------------------------------

    def _plan(self):
        return group_figures.Plan.from_snapshot(self.account_id.snapshot)

    def _adjustment_figures(self):
        adjustments = {}
        for adjustment in self.account_id.group_adjustment_ids:
            group_figures.add_into(adjustments, adjustment.line_id.code, adjustment._pair())
        return adjustments

    def _figures(self):
        """The group's leaves as filed: the consolidated or imported set and the adjustments."""
        self.ensure_one()
        base = group_worksheet.pairs(self.base_figures)
        return group_figures.total(base, self._adjustment_figures())

    def _snapshot(self):
        """The group's statement snapshot (the parent's shape), with the findings worded."""
        self.ensure_one()
        figures = self._figures()
        findings = list(self.findings or [])
        sums = self._plan().with_sums(figures)
        for column in (0, 1):
            assets, equity = sums["219"][column], sums["251"][column]
            if assets != equity:
                findings.append(
                    {
                        "severity": "error",
                        "code": "GROUP_UNBALANCED",
                        "params": {"column": column, "assets": str(assets), "equity": str(equity)},
                    }
                )
        worded = [
            {
                "severity": f["severity"],
                "code": f["code"],
                "message": finding_message(self.env, f["code"], f["params"]),
                "line_code": None,
                "accounts": [],
            }
            for f in findings
        ]
        return group_figures.statement_from(self.account_id.snapshot, figures, worded)

    def _notes(self):
        """``(notes, note_values)`` of the group's form: the principles of the consolidation
        and the companies in it (filed in Norwegian, as the form is)."""
        self.ensure_one()
        members = self.sudo().member_ids  # names and ownership, no figures
        parent, subsidiaries = members[:1], members[1:]
        principles = (
            "Konsernregnskapet er utarbeidet som om konsernet var én økonomisk enhet "
            "(regnskapsloven § 3-8)."
        )
        if self.source == "ledger":
            principles += (
                " Det omfatter morselskapet og datterselskapene nevnt i note 2. Interne "
                "transaksjoner og mellomværender er eliminert. Aksjer i datterselskap er "
                "eliminert mot datterselskapenes egenkapital; forskjellen er ført som goodwill "
                "eller annen egenkapital. Minoritetsinteressenes andel av resultat og "
                "egenkapital er vist som egne poster."
            )
        notes = [self._note(1, "regnskapsprinsipper", "Regnskapsprinsipper", principles)]
        values = {"note_number_principles": "1", "accounting_principles": principles}
        if subsidiaries:
            companies = "\n".join(
                f"{m.name}: {float_repr(m.shares_pct, 2)} % eid av {m.holder_name}"
                f" (morselskapets andel {float_repr(m.effective_pct, 2)} %)"
                for m in subsidiaries
            )
            text = f"Morselskap: {parent.name}.\n{companies}"
            notes.append(self._note(2, "konsernselskaper", "Konsernselskaper", text))
            values.update(note_number_group="2", group_companies_text=text)
        return notes, values

    @api.model
    def _note(self, number, key, title, body):
        return {
            "note_number": number,
            "key": key,
            "title": title,
            "body_type": "text",
            "body": body,
            "line_codes": [],
        }

    def _worksheet(self):
        """What the worksheet shows: a table per year, the eliminations and adjustments."""
        self.ensure_one()
        plan = self._plan()
        visible = self.member_ids.filtered("figures")
        columns = [(m.member_company_id.name, group_worksheet.pairs(m.figures)) for m in visible]
        eliminations = [
            {**entry, "lines": group_worksheet.pairs(entry["lines"])}
            for entry in self.eliminations or []
        ]
        sum_of_eliminations = group_figures.total(*(e["lines"] for e in eliminations))
        base = group_worksheet.pairs(self.base_figures)
        first = (
            [
                (_("Sum"), group_figures.total(base, group_figures.negated(sum_of_eliminations))),
                (_("Eliminations"), sum_of_eliminations),
            ]
            if self.source == "ledger"
            else [(_("Imported"), base)]
        )
        columns += [
            *first,
            (_("Adjustments"), self._adjustment_figures()),
            (_("Group"), self._figures()),
        ]
        return {
            "hidden": self.member_count - len(visible) if self.source == "ledger" else 0,
            "years": [group_worksheet.table(plan, columns, year) for year in (0, 1)],
            "eliminations": [
                {
                    "title": elimination_title(self.env, e),
                    "lines": group_worksheet.entry_lines(plan, e["lines"]),
                }
                for e in eliminations
            ],
        }
