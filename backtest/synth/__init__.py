"""Deterministic synthetic market data for scale tests, benchmarks and the bundled sample.

``generate(SynthConfig(...))`` writes a catalog of L2 book deltas, trades and quotes for one or
more venues (``multi_venue``) or a BTC/ETH triangle on one venue (``triangle``); the inner
loops are Cython (``engine`` drives each book over ``rng``, ``fundamental``, ``venue_price``,
``feed_delay``, ``levels`` and ``rows``), the parameters are calibrated to real captures
(``params``, ``calibration``). ``docs/data-tools.md`` describes the model.
"""

from backtest.synth.generator import PROFILES, SynthConfig, SynthResult, generate

__all__ = ["PROFILES", "SynthConfig", "SynthResult", "generate"]
