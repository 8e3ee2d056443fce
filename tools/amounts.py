"""The largest money amount the module accepts, on every path (API, forms, ORM).

Odoo keeps a Monetary value as a float and rounds it with ``float_round``, which nudges the
value by a relative 2**-50 before rounding: above about 4.5 * 10**12 kroner that can move an
amount by one øre (measured: 9999999999999.99 came back as 10000000000000.00). Up to 12 digits
of kroner every amount reads back exactly, which is far beyond any Norwegian company (BRG's
form itself carries 15 digits of whole kroner). Anything larger is refused with a message
naming the field and this limit.
"""

from decimal import Decimal

MAX_AMOUNT = Decimal("999999999999.99")
