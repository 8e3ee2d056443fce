"""The largest money amount the module accepts, on every path (API, forms, ORM).

Odoo keeps a Monetary value as a float. A double gives back any decimal of at most 15
significant digits exactly, so amounts stay exact to the øre up to 13 digits of kroner (ten
trillion NOK, far beyond any Norwegian company; BRG's form itself carries 15 digits of whole
kroner). Anything larger is refused with a message naming the field and this limit.
"""

from decimal import Decimal

MAX_AMOUNT = Decimal("9999999999999.99")
