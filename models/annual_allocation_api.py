from decimal import Decimal

import psycopg2.errors

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_repr

from ..tools import allocation_law
from ..tools.allocation_inputs import (
    AllocationInputError,
    check_entry,
    parse_inputs,
    parse_lines,
    to_json,
)
from .annual_allocation import INPUT_FIELDS

POST_KEYS = {
    "client_account_id",
    "reporting_year",
    "lines",
    "is_draft",
    "description",
    "structured_data",
}


class AnnualAllocation(models.Model):
    """The two endpoints of the seed, "Get Annual Allocations" and "Post Annual
    Allocations", as model methods returning JSON-ready dicts; the HTTP layer only maps
    client_account_id to a company and exceptions to statuses."""

    _inherit = "annual.allocation"

    # ------------------------------------------------------------
    # API
    # ------------------------------------------------------------

    @api.model
    def _api_get(self, company, year):
        """``{document, max_dividend, group_contribution, suggested_lines, currency_code}``;
        without a saved allocation ``document`` is null and the ceiling is the base one."""
        company, year = self._check_scope(company, year)
        self = self.with_company(company)
        allocation = self._find(company, year)
        if allocation:
            calc = allocation._calculate_for_record()
        else:
            date_from, date_to = self._fiscal_period(company, year)
            calc = self._calculate(company, year, date_from, date_to, parse_inputs(None), [])
        return to_json(
            {
                "document": allocation._document_json() if allocation else None,
                "max_dividend": calc["max_dividend"],
                "group_contribution": calc["group_contribution"],
                "suggested_lines": calc["suggested_lines"],
                "currency_code": company.currency_id.name,
            }
        )

    @api.model
    def _api_post(self, company, year, payload):
        """Upsert the allocation of (company, year) and regenerate its journal entry.

        Every input is validated and a final allocation checked against the law before
        anything is written; the writes share one savepoint, so on any error no document,
        move or attachment is left behind. ``structured_data`` omitted keeps the saved
        inputs; ``lines`` omitted means none. Returns the journal entry with its lines.
        """
        company, year = self._check_scope(company, year)
        self = self.with_company(company)
        allocation = self._find(company, year)
        allocation._lock_for_update()
        request = self._parse_post(company, year, payload, allocation)
        if not request["is_draft"]:
            period = (
                (allocation.period_start, allocation.period_end)
                if allocation
                else self._fiscal_period(company, year)
            )
            calc = self._calculate(company, year, *period, request["inputs"], request["lines"])
            refusals = allocation_law.final_refusals(
                calc["inputs"], calc["max_dividend"], calc["group_contribution"]
            )
            if refusals:
                raise UserError(self._refusal_message(refusals, calc["group_contribution"]))
        with self.env.cr.savepoint():
            allocation = allocation or self.create({"company_id": company.id, "year": year})
            allocation._write_request(request)
            reversals = allocation._regenerate_move(request)
            if not request["is_draft"]:
                allocation._generate_pdf()
            allocation.message_post(
                body=_("Allocation saved as a draft.")
                if request["is_draft"]
                else _("Allocation posted: %(move)s.", move=allocation.move_id.name)
            )
        return to_json(allocation._journal_entry_json(reversals))

    # ------------------------------------------------------------
    # VALIDATION
    # ------------------------------------------------------------

    def _lock_for_update(self):
        """Two saves of one allocation at once would both regenerate (and post) its entry:
        the second one waits for nothing and is told to try again."""
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM annual_allocation WHERE id IN %s FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(
                _("This allocation is being saved by someone else; try again in a moment.")
            ) from error

    @api.model
    def _parse_post(self, company, year, payload, allocation):
        if not isinstance(payload, dict):
            raise ValidationError(_("The request body must be a JSON object."))
        errors = [(key, "unknown") for key in sorted(set(payload) - POST_KEYS)]
        for key, expected in (("client_account_id", company.id), ("reporting_year", year)):
            if key in payload and payload[key] != expected:
                errors.append((key, "mismatch"))
        is_draft = payload.get("is_draft", False)
        if not isinstance(is_draft, bool):
            errors.append(("is_draft", "not_a_boolean"))
        description = payload.get("description")
        if description is not None and not isinstance(description, str):
            errors.append(("description", "not_a_string"))
        inputs, lines = None, []
        try:
            inputs = parse_inputs(
                payload["structured_data"]
                if "structured_data" in payload
                else (allocation.structured_data if allocation else None)
            )
        except AllocationInputError as error:
            errors += error.errors
        try:
            lines = parse_lines(payload.get("lines"))
            check_entry(lines, final=is_draft is False)
        except AllocationInputError as error:
            errors += error.errors
        errors += self._check_references(company, inputs, lines)
        if errors:
            raise ValidationError(self._input_error_message(errors))
        return {
            "is_draft": is_draft,
            "description": (description or "").strip() or _("Årsavslutning %(year)s", year=year),
            "inputs": inputs,
            "lines": lines,
        }

    @api.model
    def _check_references(self, company, inputs, lines):
        """Accounts by code in the company's chart; partners that exist and are shared with
        the company. Resolved accounts are kept on the lines."""
        errors = []
        accounts = self._accounts_by_code(company, {line["account_code"] for line in lines})
        for index, line in enumerate(lines):
            line["account"] = accounts.get(line["account_code"])
            if not line["account"]:
                errors.append((f"lines[{index}].account_code", "unknown_account"))
            elif line["account"].deprecated:
                errors.append((f"lines[{index}].account_code", "deprecated_account"))
        references = [
            (f"lines[{index}].partner_id", line["partner_id"])
            for index, line in enumerate(lines)
            if line["partner_id"]
        ]
        if inputs and inputs["recipient_business_partner_id"]:
            references.append(
                (
                    "structured_data.recipient_business_partner_id",
                    inputs["recipient_business_partner_id"],
                )
            )
        for field, partner_id in references:
            partner = self.env["res.partner"].browse(partner_id).exists()
            if not partner or partner.company_id not in (company, self.env["res.company"]):
                errors.append((field, "unknown_partner"))
        return errors

    # ------------------------------------------------------------
    # WRITING
    # ------------------------------------------------------------

    def _write_request(self, request):
        self.ensure_one()
        vals = {"is_draft": request["is_draft"], "description": request["description"]}
        if request["is_draft"]:
            vals["pdf_attachment_id"] = False  # the PDF of a final entry, now reversed
        for key, (fname, flag) in INPUT_FIELDS.items():
            value = request["inputs"][key]
            if flag:
                vals[flag] = value is not None
            field_type = self._fields[fname].type
            if field_type == "monetary":
                value = float(value or 0)
            elif field_type == "many2one":
                value = value or False
            vals[fname] = value
        vals["line_ids"] = [Command.clear()] + [
            Command.create(
                {
                    "sequence": index,
                    "account_id": line["account"].id,
                    "description": line["description"],
                    "debit": float(line["debit"]),
                    "credit": float(line["credit"]),
                    "partner_id": line["partner_id"] or False,
                }
            )
            for index, line in enumerate(request["lines"])
        ]
        self.write(vals)

    def _regenerate_move(self, request):
        """Replace the journal entry: an unposted one is deleted, a posted one reversed (the
        reversal kept on the allocation). A new entry is made when the lines form one;
        posted when final. Returns the reversals made."""
        self.ensure_one()
        previous = self.move_id
        reversals = self.env["account.move"]
        if previous.state == "posted":
            reversals = previous._reverse_moves(
                [{"date": self.period_end, "ref": _("Reversal of %(move)s", move=previous.name)}]
            )
            reversals.action_post()
            self.reversal_move_ids = [Command.link(move.id) for move in reversals]
        elif previous:
            previous.with_context(force_delete=True).unlink()
        lines = request["lines"]
        move = self.env["account.move"]
        balanced = sum(x["debit"] for x in lines) == sum(x["credit"] for x in lines)
        if len(lines) >= 2 and balanced:
            move = move.create(
                {
                    "move_type": "entry",
                    "company_id": self.company_id.id,
                    "journal_id": self._general_journal().id,
                    "date": self.period_end,
                    "ref": self.description,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": line["account"].id,
                                "name": line["description"] or self.description,
                                "debit": float(line["debit"]),
                                "credit": float(line["credit"]),
                                "partner_id": line["partner_id"] or False,
                            }
                        )
                        for line in lines
                    ],
                }
            )
            if not request["is_draft"]:
                move.action_post()
        self.move_id = move
        return reversals

    def _general_journal(self):
        Journal = self.env["account.journal"]
        journal = Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "general")],
            order="sequence, id",
            limit=1,
        )
        if not journal:
            raise UserError(_("%(company)s has no general journal.", company=self.company_id.name))
        return journal

    def _generate_pdf(self):
        self.ensure_one()
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "l10n_no_annual_accounts.action_report_annual_allocation", self.ids
        )
        self.pdf_attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"Årsdisponering_{self.year}.pdf",
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    # ------------------------------------------------------------
    # JSON
    # ------------------------------------------------------------

    def _document_json(self):
        self.ensure_one()
        return {
            "id": self.id,
            "document_number": self.document_number,
            "is_draft": self.is_draft,
            "period_start": fields.Date.to_string(self.period_start),
            "period_end": fields.Date.to_string(self.period_end),
            "currency_code": self.currency_id.name,
            "description": self.description,
            "structured_data": self.structured_data,
            "lines": [
                {**line, "currency_code": self.currency_id.name}
                for line in self.line_ids._to_payload()
            ],
            "journal_entry_id": self.move_id.id or None,
            "journal_entry_state": self.move_id.state or None,
            "reversal_ids": self.reversal_move_ids.ids,
            "pdf_attachment_id": self.pdf_attachment_id.id or None,
        }

    def _journal_entry_json(self, reversals):
        self.ensure_one()
        move, currency = self.move_id, self.currency_id.name
        lines = [
            {
                "account_code": line.account_id.code,
                "description": line.name or "",
                "debit": Decimal(float_repr(line.debit, 2)),
                "credit": Decimal(float_repr(line.credit, 2)),
                "partner_id": line.partner_id.id or None,
                "currency_code": currency,
            }
            for line in move.line_ids.sorted("id")
        ]
        return {
            "id": move.id or None,
            "name": move.name if move else None,
            "date": fields.Date.to_string(self.period_end),
            "state": move.state or None,
            "journal_id": move.journal_id.id or None,
            "ref": self.description,
            "currency_code": currency,
            "lines": lines
            or [{**x, "currency_code": currency} for x in self.line_ids._to_payload()],
            "document_id": self.id,
            "document_number": self.document_number,
            "is_draft": self.is_draft,
            "reversal_ids": reversals.ids,
            "pdf_attachment_id": self.pdf_attachment_id.id or None,
        }
