"""Rebalancing signals when a venue runs low, and the opt-in for live transfers."""

from decimal import Decimal

import pytest

from hftcore.errors import ConfigError
from hftcore.model.enums import Side
from hftcore.portfolio.config import InitialBalance, PortfolioConfig, RebalanceConfig
from hftcore.portfolio.events import RebalanceNeeded, rebalance_topic
from tests.builders.events import make_balance_update
from tests.unit.risk.harness import START_NS, Harness, only

P100K = 10_000_000


def funded(execute_transfers=False):
    config = PortfolioConfig(
        balances=[
            InitialBalance(venue="BINANCE", asset="USDT", amount=Decimal(10_000)),
            InitialBalance(venue="OKX", asset="USDT", amount=Decimal(50_000)),
        ],
        rebalance=RebalanceConfig(
            min_free={"USDT": Decimal(5_000)},
            target_free={"USDT": Decimal(20_000)},
            execute_transfers=execute_transfers,
        ),
    )
    harness = Harness(only(), config)
    harness.signals = []
    harness.node.bus.subscribe("rebalance.*", harness.signals.append)
    return harness


def spend(harness, usdt_thousands):
    order = harness.limit(Side.BUY, usdt_thousands * 1_000, P100K)
    harness.fill(order, usdt_thousands * 1_000, P100K)


class RecordingTransfers:
    def __init__(self):
        self.requested = []

    def transfer(self, signal):
        self.requested.append(signal)


def test_free_balance_under_the_level_emits_a_signal_with_the_suggested_transfer():
    harness = funded()
    spend(harness, 6)  # 10000 - 6000 = 4000 free < 5000
    assert harness.signals == [
        RebalanceNeeded(
            venue="BINANCE",
            asset="USDT",
            free=Decimal(4000),
            min_free=Decimal(5000),
            from_venue="OKX",
            amount=Decimal(16000),
            ts_event=START_NS,
            ts_recv=START_NS,
        )
    ]
    assert rebalance_topic("BINANCE", "USDT") == "rebalance.binance.usdt"


def test_signal_is_emitted_once_per_crossing():
    harness = funded()
    spend(harness, 6)
    spend(harness, 1)
    assert len(harness.signals) == 1
    harness.portfolio.on_balance_update(
        make_balance_update(venue="BINANCE", asset="USDT", free="20000")
    )
    spend(harness, 16)
    assert len(harness.signals) == 2


def test_suggested_amount_is_capped_by_what_the_donor_holds_above_its_level():
    harness = funded()
    harness.portfolio.on_balance_update(make_balance_update(venue="OKX", asset="USDT", free="8000"))
    spend(harness, 6)
    assert (harness.signals[-1].from_venue, harness.signals[-1].amount) == ("OKX", Decimal(3000))


def test_no_donor_gives_a_signal_without_a_transfer():
    harness = funded()
    harness.portfolio.on_balance_update(make_balance_update(venue="OKX", asset="USDT", free="100"))
    assert harness.signals[-1].venue == "OKX"
    spend(harness, 6)
    assert (harness.signals[-1].from_venue, harness.signals[-1].amount) == (None, Decimal(0))


def test_transfer_executor_is_refused_without_the_opt_in():
    with pytest.raises(ConfigError, match="execute_transfers: false"):
        funded().portfolio.set_transfer_executor(RecordingTransfers())


def test_transfer_executor_is_refused_without_a_rebalance_table():
    with pytest.raises(ConfigError, match=r"portfolio\.rebalance: not configured"):
        Harness(only()).portfolio.set_transfer_executor(RecordingTransfers())


def test_signals_reach_the_executor_only_with_the_opt_in():
    harness = funded(execute_transfers=True)
    transfers = RecordingTransfers()
    harness.portfolio.set_transfer_executor(transfers)
    spend(harness, 6)
    assert transfers.requested == harness.signals
    assert harness.portfolio.rebalance_monitor.transfer_count == 1
