"""What the benchmarks share: Odoo's registry for a bench database, created when missing."""

import importlib
import os
import sys
import tempfile
from pathlib import Path

MODULE_DIR = Path(__file__).resolve().parent.parent
MODULE = "l10n_no_annual_accounts"


def test_ledger():
    """tests/ledger.py (posting generated ledgers, by bulk SQL for large sizes); it imports
    nothing of the module, so it is taken from its folder, without the test framework."""
    sys.path.insert(0, str(MODULE_DIR / "tests"))
    return importlib.import_module("ledger")


def odoo_registry(database, odoo_src, extra_options=()):
    """Odoo's registry for ``database``, installing the module into a new one when missing;
    PostgreSQL from PGHOST/PGPORT/PGUSER/PGPASSWORD as the scripts use them."""
    sys.path.insert(0, odoo_src)
    import odoo  # noqa: PLC0415 - only once ODOO_SRC is on the path
    from odoo.tools import config  # noqa: PLC0415

    addons = Path(tempfile.mkdtemp(prefix=f"{MODULE}-bench-"))
    (addons / MODULE).symlink_to(MODULE_DIR)
    config.parse_config(
        [
            f"--addons-path={odoo_src}/addons,{odoo_src}/odoo/addons,{addons}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--db_user={os.environ.get('PGUSER', 'odoo')}",
            f"--db_password={os.environ.get('PGPASSWORD', 'odoo')}",
            *extra_options,
            "--without-demo=all",
            "--log-level=warn",
        ]
    )
    odoo.netsvc.init_logger()
    if database not in odoo.service.db.list_dbs(force=True):
        print(f"Creating {database} with {MODULE} (a minute or two)...", flush=True)
        odoo.service.db._create_empty_database(database)
        config["init"][MODULE] = 1
        return odoo.modules.registry.Registry.new(database, update_module=True)
    return odoo.modules.registry.Registry(database)
