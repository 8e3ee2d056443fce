# Run by scripts/run inside `odoo-bin shell` (which gives `env`): the demo, set up idempotently.
#
# An accounting bureau whose Altinn settings apply to its whole organisation, pointing at the
# bundled simulator, and two clients with two years of ledgers: an operating AS with employees
# and a holding AS that owns it and receives a group contribution. The last year of each client
# is left before allocation, ready to preview, draft, submit, sign, approve and allocate.
# ruff: noqa: F821
import importlib
import logging
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from odoo import Command

from odoo.addons.l10n_no_annual_accounts.tools import demo_ledgers, ledger_generator

_logger = logging.getLogger("demo_setup")
YEAR = date.today().year - 1
SIMULATOR_URL = os.environ.get("SIMULATOR_URL", "http://127.0.0.1:8090")
NORWAY = env.ref("base.no")
NOK = env.ref("base.NOK")


# tests/ledger.py posts generated ledgers; it imports nothing of the module, so it is taken
# from its folder, without the test framework.
sys.path.insert(0, str(Path(ledger_generator.__file__).parents[1] / "tests"))
ledger = importlib.import_module("ledger")


def norwegian_company(company, values):
    """Give ``company`` its Norwegian identity and chart (once, while it has no entries)."""
    if company.country_id != NORWAY:
        company.write({"country_id": NORWAY.id, "currency_id": NOK.id, **values})
    has_entries = env["account.move"].search_count([("company_id", "=", company.id)], limit=1)
    if company.chart_template != "no" and not has_entries:
        env["account.chart.template"].try_loading("no", company, install_demo=False)
    return company


def client_company(name, orgnr, values):
    company = env["res.company"].search([("company_registry", "=", orgnr)], limit=1)
    if not company:
        company = env["res.company"].create({"name": name, "company_registry": orgnr})
        env.user.company_ids = [Command.link(company.id)]
    return norwegian_company(
        company,
        {"l10n_no_bronnoysund_number": orgnr, "l10n_no_altinn_parent_id": bureau.id, **values},
    )


def post_once(company, entries):
    """Post ``entries`` unless the company already has a ledger."""
    if not env["account.move"].search_count([("company_id", "=", company.id)], limit=1):
        ledger.post_entries(env, company, entries)


def person(name, company):
    partner = env["res.partner"].search(
        [("name", "=", name), ("parent_id", "=", company.partner_id.id)], limit=1
    )
    return partner or env["res.partner"].create({"name": name, "parent_id": company.partner_id.id})


# --- The bureau ------------------------------------------------------------------------------
# E-mail addresses end in .test: reserved (RFC 2606), and BRG's e-mail rule (VAL_19022) wants a
# top-level domain of 2 to 6 letters, which .example is not.
bureau = norwegian_company(
    env.ref("base.main_company"),
    {
        "name": "Demo Regnskapsbyrå AS",
        "company_registry": "312345676",
        "l10n_no_bronnoysund_number": "312345676",
        "street": "Karl Johans gate 1",
        "zip": "0154",
        "city": "Oslo",
        "email": "post@demo-regnskapsbyra.test",
    },
)
bureau.write(
    {
        "l10n_no_altinn_environment": "simulator",
        "l10n_no_altinn_simulator_url": SIMULATOR_URL,
        "l10n_no_altinn_system_id": "312345676_odoo_aarsregnskap",
        "l10n_no_altinn_apply_to_children": True,
    }
)

# --- The clients -----------------------------------------------------------------------------
holding = client_company(
    "Fjord Holding AS",
    "987654325",
    {
        "street": "Strandkaien 2",
        "zip": "5013",
        "city": "Bergen",
        "email": "styret@fjordholding.test",
    },
)
operating = client_company(
    "Nordlys Drift AS",
    "315987652",
    {
        "street": "Storgata 10",
        "zip": "9008",
        "city": "Tromsø",
        "email": "post@nordlysdrift.test",
    },
)
# odoo-bin shell runs as the superuser: the administrator who logs in needs the clients too.
env.ref("base.user_admin").company_ids = [Command.link(c.id) for c in (holding, operating)]
post_once(holding, demo_ledgers.holding_entries(YEAR))
post_once(operating, ledger_generator.generate_entries(YEAR, size=2000))

# Ownership, as the group-contribution checks read it: the holding owns all of Nordlys Drift.
holding.partner_id.write({"l10n_no_aa_org_form": "AS", "is_company": True})
operating.partner_id.write(
    {
        "l10n_no_aa_org_form": "AS",
        "is_company": True,
        "l10n_no_aa_group_parent_id": holding.partner_id.id,
        "l10n_no_aa_group_shares_pct": 100.0,
        "l10n_no_aa_group_votes_pct": 100.0,
    }
)
holding.l10n_no_aa_parent_company = True

# --- People and users ------------------------------------------------------------------------
accountant = env["res.users"].search([("login", "=", "regnskap")], limit=1)
if not accountant:
    accountant = env["res.users"].create(
        {
            "name": "Kari Regnskapsfører",
            "login": "regnskap",
            "password": "regnskap",
            "company_id": bureau.id,
            "company_ids": [Command.set((bureau | holding | operating).ids)],
            "groups_id": [
                Command.set(
                    [env.ref("base.group_user").id, env.ref("account.group_account_user").id]
                )
            ],
        }
    )
if not env["res.lang"]._lang_get("nb_NO"):
    env["res.lang"]._activate_lang("nb_NO")
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["nb_NO"])
accountant.lang = "nb_NO"
for company, manager, board in (
    (holding, "Ola Nordmann", ["Ola Nordmann", "Kari Nordmann"]),
    (operating, "Ingrid Berg", ["Ola Nordmann", "Ingrid Berg", "Per Hansen"]),
):
    company.write(
        {
            "l10n_no_aa_general_manager_id": person(manager, company).id,
            "l10n_no_aa_board_member_ids": [
                Command.set([person(name, company).id for name in board])
            ],
            "l10n_no_aa_responsible_user_id": accountant.id,
            "l10n_no_aa_contact_email": company.email,
            "l10n_no_aa_prepared_by_authorised_accountant": True,
            # Small AS below the audit thresholds: BRG approves such filings at once.
            "l10n_no_aa_not_audited": True,
        }
    )

# --- Altinn through the simulator --------------------------------------------------------------
# The simulator forgets everything when it stops: introduce the bureau's key and system again
# and approve each client's system user there on every start (the demo plays the person who
# approves it in the client).
try:
    bureau._l10n_no_altinn_connect_simulator()
    source, altinn = operating._l10n_no_altinn_client_and_source()
    source._l10n_no_altinn_register_system(altinn)
    for client in (holding, operating):
        answer = client._l10n_no_altinn_request_system_user(altinn)
        if answer is not None and answer.status == "New":
            bureau._l10n_no_altinn_simulator_control().answer_confirm_page(answer.confirm_url)
        client._l10n_no_altinn_poll_system_user()
except Exception as error:  # noqa: BLE001 - the demo starts anyway; the Altinn tab tells why
    _logger.warning("Altinn simulator not set up: %s", error)

# --- An API key to try the JSON API --------------------------------------------------------------
keys = env["res.users.apikeys"].sudo()
keys.search([("user_id", "=", accountant.id), ("name", "=", "demo")]).unlink()
api_key = keys.with_user(accountant)._generate(None, "demo", datetime.now() + timedelta(days=30))
key_file = os.environ.get("DEMO_API_KEY_FILE")
if key_file:
    with open(key_file, "w") as handle:
        handle.write(api_key)
    # scripts/run prints the client account ids for the API examples.
    with open(f"{key_file}.companies", "w") as handle:
        handle.writelines(f"{c.name} = {c.id}\n" for c in (holding, operating))
env.cr.commit()
