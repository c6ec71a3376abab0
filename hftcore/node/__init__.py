"""The trading node and the interfaces of its pluggable components."""

from hftcore.node.interfaces import (
    DataClient,
    ExecutionClient,
    FillModel,
    LatencyModel,
    RiskEngine,
    Sink,
)

__all__ = ["DataClient", "ExecutionClient", "FillModel", "LatencyModel", "RiskEngine", "Sink"]
