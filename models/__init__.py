from . import res_company
from . import res_config_settings
from . import annual_altinn_call
from . import res_company_altinn
