"""The risk engine: synchronous pre-trade checks, trading state and the kill switch."""

from hftcore.risk.config import RiskConfig, load_risk_config
from hftcore.risk.engine import RiskEngine

__all__ = ["RiskConfig", "RiskEngine", "load_risk_config"]
