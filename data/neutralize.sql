-- A copy of a production database must never file with, or leak, the real Altinn credentials.
UPDATE res_company
   SET l10n_no_altinn_client_id = NULL,
       l10n_no_altinn_key_id = NULL,
       l10n_no_altinn_private_key = NULL,
       l10n_no_altinn_environment = 'test';
