# Run by scripts/run inside `odoo-bin shell`: a Norwegian demo company, set up idempotently.
# ruff: noqa: F821  (env is given by odoo-bin shell)
import logging
import os
from datetime import date

company = env.ref("base.main_company")
if company.country_id.code != "NO":
    company.write(
        {
            "name": "Demo Regnskap AS",
            "country_id": env.ref("base.no").id,
            "currency_id": env.ref("base.NOK").id,
            "l10n_no_bronnoysund_number": "312345678",
            "street": "Karl Johans gate 1",
            "zip": "0154",
            "city": "Oslo",
            "email": "post@demo-regnskap.example",
        }
    )
# Installing `account` gives the company the generic chart; switch to the Norwegian one while
# the company has no entries yet.
has_entries = env["account.move"].search_count([("company_id", "=", company.id)], limit=1)
if company.chart_template != "no" and not has_entries:
    env["account.chart.template"].try_loading("no", company, install_demo=False)
company.write(
    {
        "l10n_no_altinn_environment": "simulator",
        "l10n_no_altinn_simulator_url": os.environ.get("SIMULATOR_URL", "http://127.0.0.1:8090"),
    }
)
env.user.lang = env.user.lang or "en_US"
# Two years of a realistic AS for Accounting > Year-end > Preview, once (last year and the one
# before; the last is left unallocated, as before closing).
if not has_entries:
    env["annual.ledger.generator"].generate(company, date.today().year - 1, size=2000)
# Altinn through the bundled simulator: BRG wants a valid organisation number (check digit) in
# both places the module reads it; the simulator forgets everything when it stops, so the
# company is introduced again and its system user approved there on every start.
if not company.company_registry:
    company.write({"l10n_no_bronnoysund_number": "312345676", "company_registry": "312345676"})
if company.l10n_no_altinn_environment == "simulator":
    try:
        company._l10n_no_altinn_simulator_demo()
    except Exception as error:  # noqa: BLE001  the demo starts anyway; the Altinn tab tells
        logging.getLogger("demo_setup").warning("Altinn simulator not set up: %s", error)
env.cr.commit()
