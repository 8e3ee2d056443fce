from . import altinn_setup_wizard
