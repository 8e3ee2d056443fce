"""Pure-Python tests of ``tools/``: the module root goes on sys.path so that ``import tools``
works without Odoo."""

import sys
from pathlib import Path

MODULE_ROOT = Path(__file__).resolve().parent.parent
SHARED = MODULE_ROOT.parent / "shared"
if str(MODULE_ROOT) not in sys.path:
    sys.path.insert(0, str(MODULE_ROOT))
