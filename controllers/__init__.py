from . import api_common
from . import api_annual_accounts
from . import api_allocations
from . import openapi
