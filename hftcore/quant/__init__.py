"""Quantitative models the ready strategies run on.

- `hftcore.quant.avellaneda_stoikov`: online volatility and trade-intensity estimators and the
  Avellaneda-Stoikov / Gueant-Lehalle-Fernandez-Tapia quote model (Cython).
- `hftcore.quant.maker_quotes`: a maker's bid and ask in ticks from one book update (mid
  sample, the quote model, rounding away from the touch, minimum spread) in one C call.
- `hftcore.quant.graph_arb`: negative-cycle detection (Bellman-Ford, incremental SPFA) over a
  dense ``-ln(rate)`` weight matrix (Cython).
- `hftcore.quant.arb_edge`: the net edge of a two-leg cross-venue trade, with fees and the
  depth-aware VWAP of each leg.
- `hftcore.quant.depth_walk`: the same depth walk as ``arb_edge.profitable_quantity`` read
  straight from two books' C arrays (Cython), for sizing on the hot path.
- `hftcore.quant.two_leg`: a cross-venue arbitrage's legs (constants, feed latency,
  freshness), the touch scan and the whole depth sizing (walk, units, VWAPs, IOC limits, net
  edge) in C, nothing allocated per update.
"""

from hftcore.quant.arb_edge import (
    TwoLegEdge,
    book_levels,
    common_lot_size,
    net_edge_bps,
    profitable_quantity,
    two_leg_edge,
)
from hftcore.quant.avellaneda_stoikov import (
    AvellanedaStoikovQuoter,
    EwmaVolatility,
    HorizonMode,
    RollingVolatility,
    TradeIntensityEstimator,
    glft_depths,
    optimal_spread,
    reservation_price,
)
from hftcore.quant.depth_walk import profitable_book_quantity
from hftcore.quant.graph_arb import ArbGraph
from hftcore.quant.maker_quotes import MakerQuotes
from hftcore.quant.two_leg import ArbLeg, TwoLegCross

__all__ = [
    "ArbGraph",
    "ArbLeg",
    "AvellanedaStoikovQuoter",
    "EwmaVolatility",
    "HorizonMode",
    "MakerQuotes",
    "RollingVolatility",
    "TradeIntensityEstimator",
    "TwoLegCross",
    "TwoLegEdge",
    "book_levels",
    "common_lot_size",
    "glft_depths",
    "net_edge_bps",
    "optimal_spread",
    "profitable_book_quantity",
    "profitable_quantity",
    "reservation_price",
    "two_leg_edge",
]
