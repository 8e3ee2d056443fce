import contextlib
import contextvars
from decimal import Decimal

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.amounts import MAX_AMOUNT

MIN_YEAR, MAX_YEAR = 1901, 2999
# The documents whose lifecycle method runs in this thread now: only then do their managed
# fields change. Kept out of the context on purpose, since an RPC caller writes the context.
_IN_LIFECYCLE = contextvars.ContextVar("l10n_no_aa_in_lifecycle", default=frozenset())


class AnnualDocumentMixin(models.AbstractModel):
    """What the year-end documents (the filing, the allocation) share: one company and year
    for good, a state that only their lifecycle methods change, along the model's drawn
    transitions, and fields frozen once the document leaves draft. The guards sit in
    ``create`` and ``write``, so forms, RPC, imports and the API all meet them.

    A document model declares:

    - ``state``, its own selection, beginning with ``draft``;
    - ``_fixed_fields``: given at creation, never changed;
    - ``_managed_fields``: written only inside ``with self._lifecycle():`` (``state`` at least);
    - ``_draft_fields``: changed only while ``state`` is ``draft``;
    - ``_transitions``: the ``(old, new)`` state pairs its lifecycle may take;
    - ``_complete_create_values(vals)``: the values it derives itself at creation.
    """

    _name = "annual.document.mixin"
    _description = "Year-end document"

    _fixed_fields = ("company_id", "reporting_year", "date_from", "date_to")
    _managed_fields = ("state",)
    _draft_fields = ()
    _transitions = frozenset()

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    reporting_year = fields.Integer(required=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    # ------------------------------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------------------------------

    @api.constrains("reporting_year", "date_from", "date_to")
    def _check_period(self):
        for document in self:
            self._check_reporting_year(document.reporting_year)
            if document.date_from > document.date_to:
                raise ValidationError(
                    _("The period of %(name)s ends before it starts.", name=document.display_name)
                )

    @api.constrains(lambda self: self._amount_fields())
    def _check_amount_limit(self):
        check_amount_limit(self, self._amount_fields())

    def _amount_fields(self):
        return [
            name for name, field in self._fields.items() if field.type == "monetary" and field.store
        ]

    # ------------------------------------------------------------------------------------------
    # The guards
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_create_values(vals_list)
        return super().create([self._complete_create_values(dict(vals)) for vals in vals_list])

    def write(self, vals):
        self._check_write_values(vals)
        return super().write(vals)

    def _check_create_values(self, vals_list):
        if (self._name, None) in _IN_LIFECYCLE.get():
            return
        defaults = self.default_get(list(self._managed_fields))
        for vals in vals_list:
            # an import may name a managed field, with its default or empty
            given = [
                name
                for name in self._managed_fields
                if name in vals and vals[name] and vals[name] != defaults.get(name)
            ]
            if given:
                raise UserError(self._managed_message(self.browse(), given))

    def _check_write_values(self, vals):
        fixed = self._fields_changed(vals, self._fixed_fields)
        if fixed:
            raise UserError(
                _(
                    "%(name)s: %(fields)s cannot change once it is created.",
                    name=self[:1].display_name,
                    fields=self._field_labels(fixed),
                )
            )
        managed = self._fields_changed(vals, self._managed_fields)
        if managed and not self._in_lifecycle():
            raise UserError(self._managed_message(self, managed))
        frozen = self._fields_changed(vals, self._draft_fields)
        if frozen:
            self._check_draft(frozen)
        if "state" in vals:
            for document in self:
                if document.state != vals["state"] and (
                    (document.state, vals["state"]) not in self._transitions
                ):
                    raise UserError(
                        _(
                            "%(name)s cannot go from %(old)s to %(new)s.",
                            name=document.display_name,
                            old=document.state.upper(),
                            new=vals["state"].upper(),
                        )
                    )

    def _check_draft(self, fnames):
        """Refuse a change of ``fnames`` unless every document is a draft."""
        outside_draft = self.filtered(lambda document: document.state != "draft")
        if outside_draft:
            raise UserError(
                _(
                    "%(name)s is no longer a draft: %(fields)s can no longer change.",
                    name=outside_draft[0].display_name,
                    fields=self._field_labels(fnames),
                )
            )

    def _fields_changed(self, vals, names):
        """The fields among ``names`` that ``vals`` changes on at least one record (relational
        lists count as changed: their commands always act)."""
        changed = []
        for name in names:
            if name not in vals:
                continue
            field = self._fields[name]
            if field.type in ("one2many", "many2many") or any(
                field.convert_to_record(field.convert_to_cache(vals[name], record), record)
                != record[name]
                for record in self
            ):
                changed.append(name)
        return changed

    def _field_labels(self, names):
        descriptions = self.fields_get(names, ["string"])
        return ", ".join(descriptions[name]["string"] for name in names)

    def _managed_message(self, documents, names):
        return _(
            "%(fields)s of %(name)s can only change through its actions (its buttons and the "
            "API), not be written directly.",
            fields=self._field_labels(names),
            name=documents[:1].display_name or self._description,
        )

    # ------------------------------------------------------------------------------------------
    # What the lifecycle methods use
    # ------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _lifecycle(self):
        """Inside the block the documents' managed fields may change (and documents of this
        model be created with them): the lifecycle methods wrap their writes in it."""
        marks = {(self._name, record_id) for record_id in self.ids} | {(self._name, None)}
        token = _IN_LIFECYCLE.set(_IN_LIFECYCLE.get() | marks)
        try:
            yield
        finally:
            _IN_LIFECYCLE.reset(token)

    def _in_lifecycle(self):
        marks = _IN_LIFECYCLE.get()
        return all((self._name, record_id) in marks for record_id in self.ids)

    def _lock_rows(self, message):
        """Row lock for the rest of the transaction, so that two users or a cron never act on
        the same document at once; the second one is told ``message`` at once. NO KEY: rows
        that refer to the document (an Altinn attempt, a call) may still be committed by a
        cursor of their own meanwhile (models/altinn_apart.py)."""
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(message) from error

    @api.model
    def _complete_create_values(self, vals):
        """``vals`` with what the document derives itself; checks the company first."""
        company = self._check_company_access(vals.get("company_id") or self.env.company)
        vals["company_id"] = company.id
        return vals

    @api.model
    def _check_company_access(self, company):
        """``company`` (a record or an id) when the user may work in it, else AccessError:
        the one check of the filing, the allocation and the engine."""
        if isinstance(company, int) and not isinstance(company, bool):
            company = self.env["res.company"].browse(company)
        if not isinstance(company, models.BaseModel) or company._name != "res.company":
            company = self.env["res.company"]
        company = company.exists()
        if len(company) != 1 or (
            not self.env.su and company.id not in self.env.user._get_company_ids()
        ):
            raise AccessError(_("You have no access to this company (client account)."))
        return company

    @api.model
    def _check_reporting_year(self, year):
        """``year`` as an int when it is a plausible reporting year, else ValidationError."""
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year)
        if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                _(
                    "reporting_year: a year from %(first)s to %(last)s is required, not "
                    "%(year)s.",
                    first=MIN_YEAR,
                    last=MAX_YEAR,
                    year=year,
                )
            )
        return year

    def _form_action(self):
        """This document in its form, its company selectable in the switcher."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"allowed_company_ids": (self.env.companies | self.company_id).ids},
        }


def check_amount_limit(records, fnames):
    """Refuse amounts a float column cannot give back exactly (``tools.amounts``), naming
    the field and the limit."""
    for record in records:
        for fname in fnames:
            if Decimal(str(abs(record[fname] or 0.0))) > MAX_AMOUNT:
                raise ValidationError(
                    record.env._(
                        "%(field)s (%(name)s): at most %(limit)s, an amount beyond it cannot be "
                        "stored exactly.",
                        field=fname,
                        name=record._fields[fname]._description_string(record.env),
                        limit=MAX_AMOUNT,
                    )
                )
