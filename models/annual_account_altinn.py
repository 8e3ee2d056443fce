import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import brg_validation, brg_xml
from ..tools.altinn_attachments import check_attachment
from ..tools.altinn_client import AltinnError
from .altinn_messages import altinn_error_message
from .annual_altinn_call import TrackedClient

_logger = logging.getLogger(__name__)


class AnnualAccount(models.Model):
    """The filing in Altinn 3: submit (instance, forms, attachments, lock for signing), the
    signing hand-off, status tracking, BRG's decision, cancel; every call in the history.

    Each failure from Altinn is caught, recorded (history row, ``error_message``, chatter)
    and answered, never raised, so what was recorded stays. A retry continues with the
    instance Altinn already has instead of creating a second one.
    """

    _inherit = "annual.account"

    altinn_call_ids = fields.One2many(
        "annual.altinn.call", "filing_id", string="Altinn Calls", readonly=True
    )
    altinn_signing_url = fields.Char(
        string="Signing Link", compute="_compute_altinn_signing_url", compute_sudo=True
    )
    altinn_receipt_id = fields.Many2one(
        "ir.attachment", string="Altinn Receipt", readonly=True, copy=False
    )
    altinn_setup_missing = fields.Text(
        string="Missing Before Filing", compute="_compute_altinn_setup_missing", compute_sudo=True
    )

    # ------------------------------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------------------------------

    @api.depends("altinn_instance_id", "altinn_state", "company_id")
    def _compute_altinn_signing_url(self):
        for account in self:
            url = False
            if account.altinn_state == "awaiting_signature" and account.altinn_instance_id:
                environment = account.company_id._l10n_no_altinn_environment()
                if environment and environment.name == "simulator":
                    # the simulator has a page per instance; Altinn signs from the inbox
                    url = f"{environment.inbox_url}/{account.altinn_instance_id}"
                elif environment:
                    url = environment.inbox_url
            account.altinn_signing_url = url

    @api.depends("state", "company_id")
    def _compute_altinn_setup_missing(self):
        for account in self:
            company = account.company_id
            missing = []
            if account.state == "draft" and company:
                if not company._l10n_no_altinn_orgnr():
                    missing.append(
                        _("%(company)s has no organisation number.", company=company.name)
                    )
                if company.l10n_no_altinn_settings_origin == "none":
                    missing.append(
                        _(
                            "Altinn is not set up for %(company)s: an administrator sets it up "
                            "in Settings > Accounting, on this company or on its organisation.",
                            company=company.name,
                        )
                    )
                elif company.l10n_no_altinn_systemuser_state != "approved":
                    missing.append(
                        _(
                            "%(company)s has not approved its system user in Altinn yet "
                            "(the company form, tab Altinn).",
                            company=company.name,
                        )
                    )
            account.altinn_setup_missing = "\n".join(missing) or False

    # ------------------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------------------

    def action_altinn_refresh(self):
        self._check_action("refresh_status")
        self._altinn_refresh(chatter=True)
        return True

    def action_open_decision_wizard(self):
        self.ensure_one()
        self._check_action("record_decision")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record BRG's decision"),
            "res_model": "annual.account.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    # ------------------------------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_altinn_refresh(self):
        accounts = self.search([("state", "=", "submitted"), ("altinn_instance_id", "!=", False)])
        accounts._altinn_refresh(notify_progress=True)

    # ------------------------------------------------------------------------------------------
    # Submit (hook of action_submit: checks passed, row locked)
    # ------------------------------------------------------------------------------------------

    def _altinn_submit(self):
        self.ensure_one()
        company = self.company_id
        try:
            client = company._l10n_no_altinn_client()
        except UserError:
            raise UserError(
                _(
                    "Altinn submission is not configured for %(company)s: set up its Altinn "
                    "connection or that of its organisation.",
                    company=company.name,
                )
            ) from None
        orgnr = company._l10n_no_altinn_orgnr()
        # everything that can fail locally comes before the first call to Altinn
        forms = self._altinn_forms()
        attachments = self._altinn_attachments()
        for filename, content, mimetype in attachments:
            try:
                check_attachment(filename, content, mimetype)
            except AltinnError as error:
                raise UserError(altinn_error_message(self.env, error)) from None
        try:
            instance = self._altinn_instance(client, orgnr, forms)
            if instance.filling:
                self._altinn_fill(client, orgnr, instance, forms, attachments)
                self._altinn_call(
                    client, "process_next", "PUT process/next (confirm)"
                ).process_next(orgnr, instance.id)
            elif not (instance.awaiting_signature or instance.signed):
                raise AltinnError(
                    "conflict",
                    f"The filing in Altinn is in an unexpected step ({instance.task_type}).",
                )
        except AltinnError as error:
            self._altinn_failed(error)
            return False
        self.write(
            {
                "state": "submitted",
                "altinn_state": "signed" if instance.signed else "awaiting_signature",
                "submitted_at": fields.Datetime.now(),
                "error_message": False,
            }
        )
        self._altinn_log(
            Markup("%s <a href='%s' target='_blank'>%s</a>")
            % (
                _(
                    "Sent to Altinn (instance %(instance)s). The daglig leder or a board member "
                    "now signs it in Altinn:",
                    instance=self.altinn_instance_id,
                ),
                self.altinn_signing_url or "",
                _("signing link"),
            )
        )
        return True

    def _altinn_forms(self):
        """``{"Hovedskjema": bytes, "Underskjema": bytes, "Konsernregnskap": bytes | None}``:
        the group accounts are a second Underskjema (BRG's "Opprett konsernregnskap")."""
        hovedskjema, underskjema = self._brg_payload()
        return {
            "Hovedskjema": hovedskjema,
            "Underskjema": underskjema,
            "Konsernregnskap": self._altinn_group_underskjema(),
        }

    def _altinn_group_underskjema(self):
        """The group accounts' Underskjema (regnskapstype K) when the filing says the parent
        files group accounts (konsernregnskap, orid 25943), else None."""
        self.ensure_one()
        if not (self.parent_company and self.group_accounts):
            return None
        data = self._brg_group_filing_data()
        if not data:
            raise UserError(
                _(
                    "%(name)s says the company files group accounts (konsernregnskap), but the "
                    "group's consolidated figures are not available: BRG needs them as a second "
                    "accounts form.",
                    name=self.display_name,
                )
            )
        document = brg_xml.build_underskjema({**data, "accounts_type": "K"})
        errors = brg_validation.validate_xsd("underskjema", document)
        if errors:
            raise UserError(
                _(
                    "The group accounts of %(name)s do not follow BRG's schema:\n%(errors)s",
                    name=self.display_name,
                    errors="\n".join(errors),
                )
            )
        return document

    def _altinn_instance(self, client, orgnr, forms):
        """The instance to fill: the one this filing has, else an unfinished one a failed
        attempt left in Altinn (still being filled in, or sent for signing with this
        filing's very Hovedskjema: the answer was lost), else a new one (its id kept at
        once)."""
        if self.altinn_instance_id:
            try:
                instance = self._altinn_call(client, "instance_read", "GET instance").get_instance(
                    orgnr, self.altinn_instance_id
                )
            except AltinnError as error:
                if error.code != "not_found":
                    raise
                instance = None
            if instance is not None and not instance.deleted:
                return instance
            # deleted in Altinn meanwhile: start again
            self.write({"altinn_instance_id": False, "altinn_state": "none"})
        others = self.sudo().search([("altinn_instance_id", "!=", False), ("id", "!=", self.id)])
        taken = set(others.mapped("altinn_instance_id"))
        # a party id Altinn gave this company before saves the lookup by organisation number
        party = next(
            (
                i.split("/")[0]
                for i in others.filtered(lambda a: a.company_id == self.company_id).mapped(
                    "altinn_instance_id"
                )
            ),
            None,
        )
        active = self._altinn_call(client, "instance_find", "GET instances (unfinished)")
        for found in sorted(
            active.active_instances(orgnr, party),
            key=lambda i: i.get("lastChanged") or "",
            reverse=True,
        ):
            if found["id"] in taken:
                continue
            instance = self._altinn_call(client, "instance_read", "GET instance").get_instance(
                orgnr, found["id"]
            )
            if instance.filling or self._altinn_sent_already(client, orgnr, instance, forms):
                self._altinn_keep_instance(
                    instance, _("Continuing with the filing already in Altinn")
                )
                return instance
        creator = self._altinn_call(client, "instance_create", f"POST instances (owner {orgnr})")
        instance = creator.create_instance(orgnr)
        self._altinn_keep_instance(instance, _("Filing created in Altinn"))
        return instance

    def _altinn_sent_already(self, client, orgnr, instance, forms):
        """``instance`` awaits signature with exactly this filing's Hovedskjema: an earlier
        attempt sent it and then lost its record here."""
        element_id = instance.element_id("Hovedskjema")
        if not instance.awaiting_signature or not element_id:
            return False
        reader = self._altinn_call(client, "instance_read", "GET data Hovedskjema")
        return reader.get_data(orgnr, instance.id, element_id) == forms["Hovedskjema"]

    def _altinn_log(self, body, attachments=None):
        """A note in the chatter that cannot fail: it records what Altinn did, so it must not
        depend on the user having an e-mail address (``message_post`` requires one)."""
        self._message_log(body=body, attachment_ids=attachments.ids if attachments else False)

    def _altinn_keep_instance(self, instance, what):
        self.write({"altinn_instance_id": instance.id, "altinn_state": "filling"})
        _logger.info("Filing %s: %s %s", self.id, what, instance.id)

    def _altinn_fill(self, client, orgnr, instance, forms, attachments):
        underskjemaer = instance.elements("Underskjema")
        uploads = [
            ("Hovedskjema", instance.element_id("Hovedskjema"), forms["Hovedskjema"]),
            ("Underskjema", underskjemaer[0]["id"], forms["Underskjema"]),
        ]
        group = forms["Konsernregnskap"]
        if group is not None and len(underskjemaer) > 1:  # made by an earlier attempt
            uploads.append(("Underskjema (konsern)", underskjemaer[1]["id"], group))
        for what, element_id, content in uploads:
            uploader = self._altinn_call(client, "data_upload", f"PUT data {what}")
            uploader.put_data(orgnr, instance.id, element_id, content)
        if group is not None and len(underskjemaer) == 1:
            adder = self._altinn_call(client, "data_upload", "POST data/Underskjema (konsern)")
            adder.add_form(orgnr, instance.id, "Underskjema", group)
        present = {e.get("filename") for e in instance.elements("Vedlegg")}
        for filename, content, mimetype in attachments:
            if filename in present:  # uploaded by an earlier attempt
                continue
            summary = f"POST data Vedlegg {filename} ({len(content)} bytes)"
            element = self._altinn_call(client, "attachment_upload", summary).add_attachment(
                orgnr, instance.id, filename, content, mimetype
            )
            scan = self._altinn_call(client, "file_scan", f"GET instance (scan of {filename})")
            scan.wait_for_file_scan(orgnr, instance.id, element["id"])

    def _altinn_attachments(self):
        """``[(filename, bytes, mimetype)]`` to upload as Vedlegg: when BRG's rules want an
        attachment, the annual-accounts PDF and the PDFs attached to the filing."""
        self.ensure_one()
        if not self._altinn_attachment_required():
            return []
        files = [(self._pdf_filename(), self._render_pdf(), "application/pdf")]
        own = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("mimetype", "=", "application/pdf"),
                ("id", "!=", self.altinn_receipt_id.id),
            ]
        )
        files += [
            (_with_extension(a.name, ".pdf"), a.raw, a.mimetype)
            for a in own
            if a.name != self._pdf_filename()
        ]
        return files

    def _altinn_attachment_required(self):
        return _attachment_required(super()._brg_filing_data())

    def _brg_filing_data(self):
        data = super()._brg_filing_data()
        if self.state == "draft" and _attachment_required(data):
            # the annual-accounts PDF goes with the filing (see _altinn_attachments)
            data["attachments"] = [*data["attachments"], self._pdf_filename()]
        return data

    def _altinn_failed(self, error):
        """What the user sees of a failure: the message, BRG's own messages, chatter."""
        message = altinn_error_message(self.env, error)
        issues = [i for i in error.issues if i.get("severity") == 1]
        if issues:
            message += "\n" + "\n".join(f"{i.get('code')}: {i.get('description')}" for i in issues)
        self.error_message = message
        self._altinn_log(_("Altinn: %(message)s", message=message))
        _logger.info("Filing %s: Altinn refused or failed (%s)", self.id, error.code)

    def _altinn_call(self, client, operation, summary):
        """``client``, with the next call recorded in the history of this filing."""
        return TrackedClient(client, self.company_id, operation, summary, filing=self)

    # ------------------------------------------------------------------------------------------
    # Tracking: signature, receipt, publication
    # ------------------------------------------------------------------------------------------

    def _altinn_refresh(self, chatter=False, notify_progress=False):
        """Read each filing's instance (and the register once signed); a failure is recorded
        on its filing and the others go on."""
        todo = self.filtered(lambda a: a.state == "submitted" and a.altinn_instance_id)
        for done, account in enumerate(todo):
            try:
                account._altinn_refresh_one()
            except (AltinnError, UserError) as error:
                message = (
                    altinn_error_message(self.env, error)
                    if isinstance(error, AltinnError)
                    else error.args[0]
                )
                account.error_message = message
                if chatter:
                    account._altinn_log(_("Altinn: %(message)s", message=message))
            if notify_progress:
                self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(todo) - done - 1)

    def _altinn_refresh_one(self):
        company = self.company_id
        client, orgnr = company._l10n_no_altinn_client(), company._l10n_no_altinn_orgnr()
        reader = self._altinn_call(client, "instance_read", "GET instance")
        try:
            instance = reader.get_instance(orgnr, self.altinn_instance_id)
        except AltinnError as error:
            if error.code != "not_found":
                raise
            instance = None
        if instance is None or (instance.deleted and not instance.signed):
            raise UserError(
                _("The filing is gone from Altinn; it was deleted there. Cancel it here.")
            )
        values = {"error_message": False}
        if instance.signed and self.altinn_state != "signed":
            values["altinn_state"] = "signed"
            self._altinn_attach_receipt(client, orgnr, instance)
        elif instance.awaiting_signature:
            values["altinn_state"] = "awaiting_signature"
        self.write(values)
        if self.altinn_state == "signed":
            lookup = self._altinn_call(client, "register_lookup", f"GET regnskap/{orgnr}")
            published = [
                accounts
                for accounts in lookup.published_accounts(orgnr)
                if (accounts.get("regnskapsperiode") or {}).get("tilDato")
                == self.date_to.isoformat()
            ]
            if published:
                self._record_decision(True)
                self._altinn_log(
                    _(
                        "Approved: Regnskapsregisteret publishes these accounts (journal "
                        "number %(number)s).",
                        number=published[0].get("journalnr") or "-",
                    )
                )

    def _altinn_attach_receipt(self, client, orgnr, instance):
        receipt = self._altinn_call(client, "receipt_download", "GET data ref-data-as-pdf")
        content = receipt.download_receipt(orgnr, instance.id)
        if not content:
            return
        attachment = self.env["ir.attachment"].create(
            {
                "name": _("Altinn receipt %(year)s.pdf", year=self.reporting_year),
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.altinn_receipt_id = attachment
        self._altinn_log(_("Signed in Altinn; Altinn's receipt is attached."), attachment)

    # ------------------------------------------------------------------------------------------
    # Cancel (hook of action_cancel, for a SUBMITTED filing)
    # ------------------------------------------------------------------------------------------

    def action_cancel(self):
        # One by one: a filing whose instance Altinn would not delete stays SUBMITTED with the
        # reason recorded (error, chatter, history) while the others are cancelled.
        for account in self:
            try:
                super(AnnualAccount, account).action_cancel()
            except _KeptSubmitted:
                continue
        return True

    def _altinn_cancel(self):
        self.ensure_one()
        if not self.altinn_instance_id or self.altinn_state == "signed":
            self._altinn_log(
                _(
                    "Cancelled here only: a signed årsregnskap cannot be withdrawn from "
                    "Brønnøysundregistrene; a correction is filed as a new filing of the year."
                )
            )
            return
        company = self.company_id
        client, orgnr = company._l10n_no_altinn_client(), company._l10n_no_altinn_orgnr()
        # read first, then a hard delete: a soft-deleted instance can be restored in the
        # inbox and signed (docs/altinn-simulator.md, "Cancel")
        deleter = self._altinn_call(client, "instance_delete", "DELETE instance (hard)")
        try:
            deleter.delete_unsigned_instance(orgnr, self.altinn_instance_id)
        except AltinnError as error:
            if error.code == "not_found":  # deleted in Altinn already
                return
            message = altinn_error_message(self.env, error)
            if error.code == "instance_signed":
                message = _(
                    "Not cancelled: it has been signed in Altinn meanwhile. Refresh its status. "
                    "A filed årsregnskap is corrected by filing again, not withdrawn."
                )
            self._altinn_failed(AltinnError(error.code, message))
            raise _KeptSubmitted() from error
        self.write({"error_message": False})
        self._altinn_log(_("The unsigned filing was deleted in Altinn."))


class _KeptSubmitted(Exception):
    """Altinn did not delete the instance; the reason is recorded on the filing."""


def _with_extension(name, extension):
    """BRG's app wants a file name with an extension (app-lib DataRestrictionValidation)."""
    return name if name.lower().endswith(extension) else f"{name}{extension}"


def _attachment_required(data):
    """BRG's rules want a Vedlegg (VAL_FileAttachments) for this filing data."""
    issues = brg_validation.check({**data, "attachments": []})
    return any(issue.rule_id == "VAL_FileAttachments" for issue in issues)
