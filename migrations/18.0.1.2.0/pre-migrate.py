"""18.0.1.2.0: names kept by renaming: one name for the link to a filing (annual_account_id),
the module's prefix on the partner's field (l10n_no_aa_org_form)."""

from odoo.tools.sql import column_exists, rename_column

MODULE = "l10n_no_annual_accounts"
RENAMES = (
    ("annual.altinn.call", "annual_altinn_call", "filing_id", "annual_account_id"),
    ("res.partner", "res_partner", "l10n_no_org_form", "l10n_no_aa_org_form"),
)


def migrate(cr, version):
    for model, table, old, new in RENAMES:
        if not column_exists(cr, table, old) or column_exists(cr, table, new):
            continue
        rename_column(cr, table, old, new)
        # the field's own records follow, so that Odoo does not drop the column as a field gone
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
            [new, model, old],
        )
        prefix = f"field_{model.replace('.', '_')}__"
        cr.execute(
            """
            UPDATE ir_model_data SET name = %s
             WHERE module = %s AND model = 'ir.model.fields' AND name = %s
            """,
            [prefix + new, MODULE, prefix + old],
        )
