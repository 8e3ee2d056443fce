"""Records of what Altinn did, written in a transaction of their own and committed at once.

A call to Altinn is an effect outside our transaction: its record (the attempt, its instance
id and state, each call) must outlive a rollback of the request that made it, so that a retry
continues with the instance Altinn already has. Odoo's EDI documents commit the request's own
cursor (``account_edi_document``, ``l10n_hu_edi``); that would commit the whole request, and
Odoo's tests cannot do it. Here the record goes through a cursor of its own
(``registry.cursor()``: in Odoo's test mode a ``TestCursor`` on the test's transaction), is
committed there, and the values written are put into this transaction's cache, whose snapshot
(REPEATABLE READ) predates that commit.

A record referring to rows this transaction made and has not committed (a company or a filing
created in the same request) cannot outlive them: it is written in this transaction.
"""

from odoo.tools import SQL


def create_apart(model, vals):
    """``model.create(vals)`` committed at once through a cursor of its own; the record in
    ``model``'s environment, its stored values in its cache."""
    if not _refers_to_committed(model, vals):
        return model.sudo().create(vals).with_env(model.env)
    with model.env.registry.cursor() as cr:
        record = model.with_env(model.env(cr=cr, su=True)).create(vals)
        values = _stored_values(record)
    mine = model.browse(record.id)
    mine._update_cache(values, validate=False)
    return mine


def write_apart(records, vals):
    """``records.write(vals)`` committed at once through a cursor of its own (records made by
    ``create_apart``, or committed before), the values shown to this transaction too."""
    if not records:
        return
    if not _refers_to_committed(records, {**vals, "id": records.ids}):
        records.sudo().write(vals)
        return
    with records.env.registry.cursor() as cr:
        mine = records.with_env(records.env(cr=cr, su=True))
        mine.write(vals)
        values = {record.id: _stored_values(record, vals) for record in mine}
    for record in records:
        record._update_cache(values[record.id], validate=False)


def _stored_values(record, names=None):
    fields = record._fields
    names = names or [name for name, field in fields.items() if field.store]
    return {
        name: record[name]
        for name in names
        if fields[name].store and fields[name].type != "one2many"
    }


def _refers_to_committed(model, vals):
    """Whether every row ``vals`` refers to (many2one ids; ``id``: the records themselves) is
    committed, so that a cursor of its own sees it."""
    # the user and company the ORM fills in, and the record an attachment belongs to
    wanted = [("res_users", (model.env.uid,)), ("res_company", (model.env.company.id,))]
    if vals.get("res_model") and vals.get("res_id"):
        wanted.append((model.env[vals["res_model"]]._table, (vals["res_id"],)))
    for name, value in vals.items():
        if name == "id":
            wanted.append((model._table, tuple(value)))
            continue
        field = model._fields[name]
        if field.type == "many2one" and field.store and value:
            comodel = model.env[field.comodel_name]
            wanted.append((comodel._table, (value if isinstance(value, int) else value.id,)))
    with model.env.registry.cursor() as cr:
        for table, ids in wanted:
            cr.execute(SQL("SELECT count(*) FROM %s WHERE id IN %s", SQL.identifier(table), ids))
            if cr.fetchone()[0] != len(set(ids)):
                return False
    return True
