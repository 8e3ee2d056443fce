"""18.0.1.1.0: the Maskinporten credentials leave res.company for annual.altinn.credential.

The old columns are copied inside PostgreSQL (no key travels as a query parameter, so none can
reach the log) and then dropped, so that no plain copy stays behind. The client ids an older
version wrote into the history of calls are blanked, and the set-up wizard's rows, which held
keys, are deleted.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

OLD_COLUMNS = ("l10n_no_altinn_client_id", "l10n_no_altinn_key_id", "l10n_no_altinn_private_key")
OLD_WIZARD_COLUMNS = ("client_id", "key_id", "private_key", "has_stored_key")


def migrate(cr, version):
    if column_exists(cr, "res_company", "l10n_no_altinn_private_key"):
        cr.execute(
            """
            INSERT INTO annual_altinn_credential
                   (company_id, active, client_id, key_id, private_key,
                    create_uid, create_date, write_uid, write_date)
            SELECT c.id, TRUE, NULLIF(TRIM(c.l10n_no_altinn_client_id), ''),
                   c.l10n_no_altinn_key_id, c.l10n_no_altinn_private_key,
                   1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
              FROM res_company c
             WHERE (c.l10n_no_altinn_client_id IS NOT NULL
                    OR c.l10n_no_altinn_private_key IS NOT NULL)
               AND NOT EXISTS (
                   SELECT 1 FROM annual_altinn_credential k WHERE k.company_id = c.id AND k.active
               )
            """
        )
        for column in OLD_COLUMNS:
            cr.execute(
                SQL("ALTER TABLE res_company DROP COLUMN IF EXISTS %s", SQL.identifier(column))
            )
    cr.execute(
        """
        UPDATE annual_altinn_call
           SET request_summary = regexp_replace(request_summary, ', client [0-9A-Fa-f-]{36}', '')
         WHERE request_summary ~ ', client [0-9A-Fa-f-]{36}'
        """
    )
    cr.execute("DELETE FROM annual_altinn_setup_wizard")
    for column in OLD_WIZARD_COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE annual_altinn_setup_wizard DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
