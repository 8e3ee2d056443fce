-- A copy of a production database must never file with, or leak, the real Altinn credentials:
-- it starts the Altinn set-up afresh, in the test environment.

-- The client ids in the history of calls: those stored today (before the key store goes), and
-- any an older version wrote into the system register's summary.
UPDATE annual_altinn_call call
   SET request_summary = regexp_replace(call.request_summary, ids.pattern, '***', 'gi'),
       error_message = regexp_replace(call.error_message, ids.pattern, '***', 'gi'),
       reference = regexp_replace(call.reference, ids.pattern, '***', 'gi')
  FROM (SELECT string_agg(client_id, '|') AS pattern
          FROM annual_altinn_credential
         WHERE client_id ~ '^[0-9A-Fa-f-]+$') ids
 WHERE ids.pattern IS NOT NULL;
UPDATE annual_altinn_call
   SET request_summary = regexp_replace(request_summary, 'client [0-9A-Fa-f-]{36}', 'client ***', 'g')
 WHERE request_summary ~ 'client [0-9A-Fa-f-]{36}';

-- Every stored credential (drafts of the set-up wizard included) and the wizard's rows.
DELETE FROM annual_altinn_setup_wizard;
DELETE FROM annual_altinn_credential;

-- Production's system register and system users are not the test environment's.
UPDATE res_company
   SET l10n_no_altinn_environment = 'test',
       l10n_no_altinn_system_registered = FALSE,
       l10n_no_altinn_systemuser_state = 'none',
       l10n_no_altinn_systemuser_request_id = NULL,
       l10n_no_altinn_systemuser_confirm_url = NULL,
       l10n_no_altinn_systemuser_external_ref = NULL;
