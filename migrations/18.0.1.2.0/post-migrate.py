"""18.0.1.2.0: the Altinn side of a filing becomes its own record, annual.altinn.attempt.

Each filing that had an instance (or a state in Altinn) gets one attempt with its instance id,
state, receipt and time of submission; its calls are linked to that attempt. The filing's old
columns are then dropped, so that one place says where a filing stands in Altinn.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

OLD_COLUMNS = ("altinn_instance_id", "altinn_state", "altinn_receipt_id")


def migrate(cr, version):
    if not column_exists(cr, "annual_account", "altinn_state"):
        return
    cr.execute(
        """
        INSERT INTO annual_altinn_attempt
               (annual_account_id, company_id, reporting_year, state, instance_id, receipt_id,
                submitted_at, create_uid, create_date, write_uid, write_date)
        SELECT a.id, a.company_id, a.reporting_year,
               CASE WHEN a.altinn_state IN ('filling', 'awaiting_signature', 'signed')
                    THEN a.altinn_state
                    WHEN a.state = 'cancelled' AND a.altinn_instance_id IS NOT NULL
                    THEN 'deleted'
                    ELSE 'new' END,
               a.altinn_instance_id, a.altinn_receipt_id,
               CASE WHEN a.altinn_state IN ('awaiting_signature', 'signed')
                    THEN a.submitted_at END,
               1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
          FROM annual_account a
         WHERE (a.altinn_instance_id IS NOT NULL OR a.altinn_state <> 'none')
           AND NOT EXISTS (
               SELECT 1 FROM annual_altinn_attempt t WHERE t.annual_account_id = a.id
           )
        """
    )
    cr.execute(
        """
        UPDATE annual_altinn_call c
           SET attempt_id = t.id
          FROM annual_altinn_attempt t
         WHERE t.annual_account_id = c.annual_account_id AND c.attempt_id IS NULL
        """
    )
    for column in OLD_COLUMNS:
        cr.execute(
            SQL("ALTER TABLE annual_account DROP COLUMN IF EXISTS %s", SQL.identifier(column))
        )
