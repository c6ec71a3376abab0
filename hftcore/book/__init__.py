"""Order books: the exact price-level ``L2Book`` and the top-of-book ``L1Book``.

Both implement ``OrderBook``: prices are int64 ticks and sizes int64 lots, and an empty side reads
as price ``NO_PRICE_TICKS`` with size 0.
"""

from hftcore.book.l1_book import L1Book
from hftcore.book.l2_book import L2Book
from hftcore.book.order_book import OrderBook

# Python value of the ``NO_PRICE_TICKS`` C sentinel of ``hftcore/model/types.pxd`` (int64 minimum).
NO_PRICE_TICKS = -(2**63)

__all__ = ["NO_PRICE_TICKS", "L1Book", "L2Book", "OrderBook"]
