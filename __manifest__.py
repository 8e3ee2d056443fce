{
    "name": "Norway - Annual Accounts (Årsregnskap) via Altinn 3",
    "summary": "Close the year in Odoo: statements from the ledger, statutory notes, "
    "filing the årsregnskap with Brønnøysundregistrene through Altinn 3, "
    "and the year-end allocation.",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations",
    "countries": ["no"],
    "author": "l10n_no_annual_accounts contributors",
    "website": "https://github.com/l10n-no/l10n_no_annual_accounts",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["account", "l10n_no"],
    "external_dependencies": {
        "python": ["PyJWT", "cryptography", "requests", "lxml"],
        "bin": ["wkhtmltopdf"],
    },
    "data": [
        "security/annual_accounts_security.xml",
        "security/ir.model.access.csv",
        "views/menus.xml",
        "views/res_company_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/altinn_setup_wizard_views.xml",
        "views/annual_altinn_call_views.xml",
        "wizards/altinn_systemuser_wizard_views.xml",
        "data/ir_cron_altinn.xml",
    ],
    "installable": True,
    "application": False,
}
