from . import res_company
from . import res_config_settings
from . import annual_statement_line
from . import annual_account_mapping_rule
from . import account_account
from . import annual_statement_engine
from . import annual_ledger_generator
