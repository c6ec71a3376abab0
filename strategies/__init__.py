"""Ready strategies to run or copy: each is one file with its typed config and a TOML beside it.

- ``as_maker.py``: Avellaneda-Stoikov / Gueant-Lehalle-Fernandez-Tapia market maker.
- ``xex_arb.py``: two-leg cross-exchange arbitrage with depth-aware sizing and leg repair.
- ``tri_arb.py``: multi-leg (triangular) arbitrage by negative-cycle detection.

Run one with ``hft backtest strategies/<file>.py``; see ``docs/strategies.md``.
"""
