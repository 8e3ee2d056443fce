from . import test_security
from . import test_altinn_settings
from . import test_altinn_setup_wizard
from . import test_statement_engine
from . import test_statement_generated
from . import test_statement_preview
from . import test_allocation
from . import test_allocation_group
