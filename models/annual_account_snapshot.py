from markupsafe import Markup

from odoo import _, api, fields, models


class AnnualAccount(models.Model):
    """The figures of a draft: taken again on "Recompute", with what changed in the chatter."""

    _inherit = "annual.account"

    findings_html = fields.Html(compute="_compute_findings", sanitize=False)
    has_error_findings = fields.Boolean(compute="_compute_findings")

    @api.depends("snapshot")
    def _compute_findings(self):
        for account in self:
            findings = (account.snapshot or {}).get("findings") or []
            account.has_error_findings = any(f["severity"] == "error" for f in findings)
            items = Markup("").join(
                Markup('<li class="text-%s">%s</li>')
                % ("danger" if f["severity"] == "error" else "warning", f["message"])
                for f in findings
            )
            account.findings_html = items and Markup("<ul>%s</ul>") % items

    def action_recompute(self):
        """Take the engine's figures again and write what changed to the chatter."""
        self._check_action("recompute")
        for account in self:
            old = account.snapshot or {"lines": [], "findings": []}
            new = self.env["annual.statement.engine"].compute(
                account.company_id, account.date_from, account.date_to
            )
            account.write({"snapshot": new, "snapshot_date": fields.Datetime.now()})
            account._generate_notes()
            account.message_post(body=account._snapshot_diff_message(old, new))
        return True

    def _snapshot_diff_message(self, old, new):
        changes = []
        old_lines = {line["key"]: line for line in old.get("lines", [])}
        for line in new["lines"]:
            before = old_lines.get(line["key"], {})
            for field, label in (("amount", _("this year")), ("prior_amount", _("last year"))):
                if before.get(field) != line.get(field):
                    changes.append(
                        (f"{line['label']} ({label})", before.get(field) or "", line[field] or "")
                    )
        if not changes:
            return _("Figures recomputed: nothing changed.")
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % change for change in changes
        )
        return Markup(
            "%s<table class='table table-sm'><tr><th>%s</th><th>%s</th><th>%s</th>"
            "</tr>%s</table>"
        ) % (
            _("Figures recomputed. Changed lines:"),
            _("Line"),
            _("Old"),
            _("New"),
            rows,
        )

    def action_create_correction(self):
        """A new draft of the same company, year and period after a rejection or cancellation
        (a filed årsregnskap is never withdrawn: a correction is a new filing)."""
        self.ensure_one()
        correction = self._create_draft(
            self.company_id, self.reporting_year, self.date_from, self.date_to
        )
        correction.message_post(body=_("Correction of %(name)s.", name=self.display_name))
        return correction._get_form_action()
