from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import keys

SECRET_FIELDS = ("client_id", "key_id", "private_key")
# res.company fields computed from the credentials: recomputed when a credential changes
COMPANY_FIELDS = (
    "l10n_no_altinn_source_company_id",
    "l10n_no_altinn_settings_origin",
    "l10n_no_altinn_effective_environment",
    "l10n_no_altinn_has_private_key",
)


class AnnualAltinnCredential(models.Model):
    """The Maskinporten credentials of one company: client id, key id and private key.

    The only place they are kept, read and written by administrators only, as Odoo keeps its
    EDI keys in ``certificate.key``. No field of another model points here, so no related
    path, export or onchange reaches a secret; the secret fields are never prefetched, and
    ``_read_secrets`` takes them out of the cache again once read. The private key travels
    to PostgreSQL alone, on a row already locked, so that no failing query (which Odoo logs
    with its parameters) carries it.

    An inactive row is the set-up wizard's draft: what an administrator entered and has not
    saved yet (see ``annual.altinn.setup.wizard``).
    """

    _name = "annual.altinn.credential"
    _description = "Altinn credentials (Maskinporten)"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    active = fields.Boolean(default=True, help="Unticked: a draft of the set-up wizard.")
    client_id = fields.Char(
        string="Maskinporten Client ID",
        groups="base.group_system",
        prefetch=False,
        copy=False,
    )
    key_id = fields.Char(
        string="Key ID (kid)",
        groups="base.group_system",
        prefetch=False,
        copy=False,
        help="The id under which the public key is registered with Digdir.",
    )
    private_key = fields.Text(
        string="Private Key (PEM)",
        groups="base.group_system",
        prefetch=False,
        copy=False,
    )

    def init(self):
        # one set of credentials in use per company (drafts aside)
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS annual_altinn_credential_company_uniq "
                "ON %s (company_id) WHERE active",
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """The row first, without a secret (the INSERT may fail on the unique index), then
        the secrets by ``write``."""
        vals_list = [dict(vals) for vals in vals_list]
        secrets = [{f: vals.pop(f) for f in SECRET_FIELDS if f in vals} for vals in vals_list]
        credentials = super().create(vals_list)
        for credential, values in zip(credentials, secrets, strict=True):
            if values:
                credential.write(values)
        self._invalidate_companies()
        return credentials

    def write(self, vals):
        self.check_access("write")  # before the lock below
        values = dict(vals)
        private_key = values.pop("private_key", None)
        self._check_values(vals)
        if private_key is not None:
            self._lock()
        result = super().write(values)
        self.flush_recordset()
        if private_key is not None:
            super().write({"private_key": (private_key or "").strip() or False})
            self.flush_recordset(["private_key"])
        self.invalidate_recordset(SECRET_FIELDS)
        self._invalidate_companies()
        return result

    def unlink(self):
        result = super().unlink()
        self._invalidate_companies()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _for_companies(self, companies):
        """The credentials in use of ``companies`` (as superuser), without reading a secret."""
        return self.sudo().search([("company_id", "in", companies.ids)])

    @api.model
    def _store(self, company, **values):
        """Save ``values`` (some of SECRET_FIELDS) as the credentials in use of ``company``."""
        credential = self._for_companies(company)
        if credential:
            credential.write(values)
            return credential
        return self.sudo().create({"company_id": company.id, **values})

    def _read_secrets(self):
        """``{client_id, key_id, private_key}`` for the code that talks to Altinn, read as
        superuser and dropped from the cache again: nothing read later in this transaction,
        by any user, finds them there. Never show the result or write it to a log."""
        self.ensure_one()
        credential = self.sudo()
        credential.fetch(SECRET_FIELDS)
        secrets = {name: credential[name] or "" for name in SECRET_FIELDS}
        credential.invalidate_recordset(SECRET_FIELDS)
        return secrets

    def _promote(self):
        """The draft becomes the credentials in use of its company; the old ones go."""
        self.ensure_one()
        self._for_companies(self.company_id).unlink()
        self.active = True

    @api.model
    def _new_private_key(self):
        """A new 2048-bit RSA key in PEM (PKCS#8, unencrypted), as Maskinporten takes it."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=keys.MIN_RSA_BITS)
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    # ------------------------------------------------------------
    # CHECKS
    # ------------------------------------------------------------

    @api.model
    def _check_values(self, values):
        """A clear ValidationError, before any query, for a malformed client id or key."""
        if values.get("client_id"):
            self._check_client_id(values["client_id"])
        if values.get("private_key"):
            self._check_private_key(values["private_key"])

    @api.model
    def _check_client_id(self, client_id):
        if not keys.is_valid_client_id(client_id):
            raise ValidationError(
                _(
                    "The Maskinporten client ID must be the UUID Digdir gave the integration, "
                    "for example 2f6c7a4e-1b3d-4c5e-9f00-112233445566."
                )
            )

    @api.model
    def _check_private_key(self, pem):
        """Raise a clear ValidationError unless ``pem`` is a usable RSA private key."""
        try:
            keys.load_rsa_private_key(pem)
        except keys.InvalidKey as error:
            messages = {
                "empty": _("The private key is empty."),
                "format": _(
                    "The private key is not a PEM private key. Paste the whole key, "
                    "including the -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines."
                ),
                "encrypted": _(
                    "The private key is protected by a password. Export it without a password."
                ),
                "not_rsa": _("The private key is not an RSA key; Maskinporten needs RS256."),
                "too_small": _(
                    "The RSA key has %(bits)s bits; Maskinporten needs at least %(minimum)s.",
                    bits=error.bits,
                    minimum=keys.MIN_RSA_BITS,
                ),
            }
            raise ValidationError(messages[error.reason]) from None

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _lock(self):
        """Lock the rows before the key is sent: a concurrent change then fails on this
        query, which holds no secret, and never on the one that carries the key."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                )
            )

    @api.model
    def _invalidate_companies(self):
        """Forget what res.company computed from the credentials and the organisation."""
        self.env["res.company"].invalidate_model(COMPANY_FIELDS)
