"""The simulated venue adapter: ``SimExecutionClient`` in front of ``backtest.matching``."""

from adapters.sim.execution import SimExecutionClient

__all__ = ["SimExecutionClient"]
