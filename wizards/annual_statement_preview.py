from markupsafe import Markup, escape

from odoo import Command, _, api, fields, models


class AnnualStatementPreview(models.TransientModel):
    """Accounting > Year-end > Preview: the statements of a company for a year, with last year's
    figures, the findings on top and a drill-down from every line to its journal items."""

    _name = "annual.statement.preview"
    _description = "Annual accounts preview"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user._get_company_ids())],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    reporting_year = fields.Integer(
        string="Year", default=lambda self: fields.Date.context_today(self).year - 1
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    prior_date_from = fields.Date(string="Last year from", readonly=True)
    prior_date_to = fields.Date(string="Last year to", readonly=True)
    line_ids = fields.One2many("annual.statement.preview.line", "preview_id", string="Lines")
    res_line_ids = fields.One2many(
        "annual.statement.preview.line",
        "preview_id",
        domain=[("section", "=", "RES")],
        string="Income statement",
    )
    bal_line_ids = fields.One2many(
        "annual.statement.preview.line",
        "preview_id",
        domain=[("section", "=", "BAL")],
        string="Balance sheet",
    )
    findings_html = fields.Html(string="Findings", sanitize=True, readonly=True)
    error_count = fields.Integer(readonly=True)
    warning_count = fields.Integer(readonly=True)
    snapshot = fields.Json(readonly=True)

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends("company_id", "date_from", "date_to")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._(
                "%(company)s: %(date_from)s – %(date_to)s",
                company=preview.company_id.name,
                date_from=preview.date_from or "",
                date_to=preview.date_to or "",
            )

    # ------------------------------------------------------------------------------------------
    # Onchange
    # ------------------------------------------------------------------------------------------

    @api.onchange("reporting_year", "company_id")
    def _onchange_reporting_year(self):
        if self.reporting_year:
            self.date_from, self.date_to = self.env["annual.statement.engine"]._period(
                reporting_year=self.reporting_year, company=self.company_id
            )

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    @api.model
    def action_open(self):
        """Menu entry: last year's statements of the current company, computed at once."""
        preview = self.create({})
        preview._onchange_reporting_year()
        return preview.action_refresh()

    def action_refresh(self):
        self.ensure_one()
        self._load_snapshot()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------

    def _load_snapshot(self):
        snapshot = self.env["annual.statement.engine"].compute(
            self.company_id, self.date_from, self.date_to
        )
        findings = snapshot["findings"]
        Line = self.env["annual.statement.preview.line"]
        lines = {"RES": [Command.clear()], "BAL": [Command.clear()]}
        for i, line in enumerate(snapshot["lines"]):
            lines[line["section"]].append(Command.create(Line._values(line, i)))
        self.update(
            {
                "snapshot": snapshot,
                "prior_date_from": snapshot["prior_date_from"],
                "prior_date_to": snapshot["prior_date_to"],
                "error_count": sum(f["severity"] == "error" for f in findings),
                "warning_count": sum(f["severity"] == "warning" for f in findings),
                "findings_html": self._findings_html(findings),
                "res_line_ids": lines["RES"],
                "bal_line_ids": lines["BAL"],
            }
        )

    def _findings_html(self, findings):
        if not findings:
            return Markup("<p>%s</p>") % _("No findings: the statements are consistent.")
        items = Markup("").join(
            Markup('<li class="%s"><b>%s</b> %s</li>')
            % (
                "text-danger" if f["severity"] == "error" else "text-warning",
                escape(f["code"]),
                escape(f["message"]),
            )
            for f in sorted(findings, key=lambda f: f["severity"] != "error")
        )
        return Markup("<ul>%s</ul>") % items
