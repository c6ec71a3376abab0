"""The portfolio: the shadow ledger of balances, positions, PnL and fees."""

from hftcore.portfolio.config import InitialBalance, PortfolioConfig
from hftcore.portfolio.ledger import Portfolio

__all__ = ["InitialBalance", "Portfolio", "PortfolioConfig"]
