"""Entry point of the BRG filing payload: the two XML documents sent to Altinn.

The filing-data dict is documented in ``docs/architecture.md`` ("Filing data") and in the
docstrings of the two builders.
"""

from .brg_hovedskjema import build_hovedskjema
from .brg_underskjema import build_underskjema

__all__ = ["build_hovedskjema", "build_underskjema"]
