from . import altinn_setup_wizard
from . import annual_statement_preview
from . import annual_statement_preview_line
from . import altinn_systemuser_wizard
from . import annual_account_decision_wizard
from . import annual_group_accounts_import
from . import annual_account_check_dismiss
