from odoo import _, fields, models

from ..tools import statement_plan

INDENT = "\u2003"  # an em space per level: list views have no per-row padding


class AnnualStatementPreviewLine(models.TransientModel):
    _name = "annual.statement.preview.line"
    _description = "Annual accounts preview line"
    _order = "sequence, id"

    preview_id = fields.Many2one("annual.statement.preview", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="preview_id.currency_id")
    sequence = fields.Integer()
    key = fields.Char()
    section = fields.Selection([("RES", "Income statement"), ("BAL", "Balance sheet")])
    code = fields.Char(string="Field code")
    label = fields.Char()
    label_en = fields.Char(string="English label")
    kind = fields.Selection([("header", "Header"), ("line", "Line"), ("sum", "Sum")])
    bold = fields.Boolean()
    amount = fields.Monetary(string="This year")
    prior_amount = fields.Monetary(string="Last year")
    account_summary = fields.Char(string="Account codes")
    has_unallocated = fields.Boolean(help="Carries the result not yet allocated.")

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def action_open_journal_items(self):
        return self._journal_items_action(prior=False)

    def action_open_prior_journal_items(self):
        return self._journal_items_action(prior=True)

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    def _values(self, line, index):
        """Create values from one snapshot line."""
        accounts = line["accounts"]
        level = line["level"] or 0
        return {
            "sequence": index,
            "key": line["key"],
            "section": line["section"],
            "code": line["code"],
            "label": INDENT * level + line["label"],
            "label_en": line["label_en"],
            "kind": line["kind"],
            "bold": line["bold"],
            "amount": float(line["amount"] or 0),
            "prior_amount": float(line["prior_amount"] or 0),
            "account_summary": ", ".join(a["code"] or a["name"] for a in accounts),
            "has_unallocated": any(not a["account_id"] for a in accounts),
        }

    def _leaf_accounts(self):
        """The accounts behind the line: a leaf's own; for a sum, those of every line its formula
        adds up. The result not yet allocated stands for the P&L accounts, so that the journal
        items of "Annen egenkapital" add up to its amount."""
        self.ensure_one()
        lines = [line for line in self.preview_id.snapshot["lines"] if line["code"]]
        by_code = {line["code"]: line for line in lines}
        pnl = {
            a["account_id"] for line in lines if line["section"] == "RES" for a in line["accounts"]
        }
        ids, todo, seen = set(), [self.code], set()
        while todo:
            code = todo.pop()
            if code in seen or code not in by_code:
                continue
            seen.add(code)
            line = by_code[code]
            ids.update(a["account_id"] for a in line["accounts"] if a["account_id"])
            if any(not a["account_id"] for a in line["accounts"]):
                ids |= pnl
            todo += [ref for _sign, ref in statement_plan.parse_formula(line["formula"])]
        return self.env["account.account"].browse(sorted(ids - {None}))

    def _journal_items_action(self, prior):
        self.ensure_one()
        preview = self.preview_id
        date_from, date_to = (
            (preview.prior_date_from, preview.prior_date_to)
            if prior
            else (preview.date_from, preview.date_to)
        )
        engine = self.env["annual.statement.engine"]
        domain = [
            ("account_id", "in", self._leaf_accounts().ids),
            ("company_id", "in", engine._company_ids(preview.company_id)),
            ("parent_state", "=", "posted"),
            ("date", "<=", date_to),
        ]
        if self.section == "RES":  # movement in the period; the balance sheet is cumulative
            domain.append(("date", ">=", date_from))
        return {
            "type": "ir.actions.act_window",
            "name": _("%(line)s: journal items", line=self.label.strip(INDENT)),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"group_by": ["account_id"]},
        }
