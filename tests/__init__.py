from . import test_security
from . import test_altinn_settings
from . import test_altinn_setup_wizard
from . import test_altinn_setup_actions
