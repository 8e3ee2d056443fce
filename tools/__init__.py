# Plain Python used by the models: no `odoo` import anywhere below this package, so that
# tests_unit/ can run it without a database.
