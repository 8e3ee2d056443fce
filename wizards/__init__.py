from . import altinn_setup_wizard
from . import altinn_systemuser_wizard
