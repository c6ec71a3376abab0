"""The risk engine: trading state, kill switch, automatic triggers and counters."""

from decimal import Decimal

import pytest

from hftcore.errors import ConfigError
from hftcore.model.enums import OrderStatus, Side, TradingState
from hftcore.risk.config import (
    BalanceConfig,
    KillSwitchConfig,
    MaxOrderConfig,
    RiskConfig,
    TriggersConfig,
)
from hftcore.risk.engine import RiskEngine
from hftcore.risk.events import TRADING_STATE_TOPIC
from hftcore.risk.kill_switch import FileKillSwitch, make_command
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.events import make_order
from tests.unit.risk.harness import OKX_SPOT, PERP, SPOT, Harness, balances, only

P100K = 10_000_000
OKX_P100K = 1_000_000
MONITOR_NS = 100_000_000


def advance(harness, ns):
    harness.clock.advance_time(harness.clock.timestamp_ns() + ns)


@pytest.fixture
def quiet():
    """A harness running no checks: only the trading state decides."""
    return Harness(only())


# -- TRADING STATE -----------------------------------------------------------------------------


def test_engine_starts_in_the_configured_state():
    assert Harness(only()).risk.trading_state == TradingState.ACTIVE
    reducing = Harness(RiskConfig(initial_state="REDUCING"))
    assert reducing.risk.trading_state == TradingState.REDUCING


def test_halted_engine_denies_with_the_halt_reason(quiet):
    quiet.risk.kill("operator drill")
    order = quiet.limit(Side.BUY, 1, P100K)
    assert order.status == OrderStatus.DENIED
    denial = quiet.last_denial()
    assert denial.reason_code == "TRADING_HALTED"
    assert "operator drill" in denial.message


def test_reducing_allows_an_order_that_reduces_the_position(quiet):
    quiet.position(Side.BUY, 30_000, P100K)
    quiet.risk.reduce("end of day")
    assert quiet.limit(Side.SELL, 30_000, P100K).status == OrderStatus.SUBMITTED


def test_reducing_denies_an_order_that_would_go_past_flat_with_open_orders(quiet):
    quiet.position(Side.BUY, 30_000, P100K)
    quiet.risk.reduce("end of day")
    quiet.limit(Side.SELL, 20_000, P100K)
    order = quiet.limit(Side.SELL, 10_001, P100K)
    assert order.status == OrderStatus.DENIED
    denial = quiet.last_denial()
    assert denial.reason_code == "REDUCE_ONLY_STATE"
    assert "SELL 10001 lots with 20000 lots open" in denial.message
    assert "position of 30000 lots" in denial.message


def test_reducing_denies_orders_that_add_or_open(quiet):
    quiet.risk.reduce("end of day")
    assert quiet.limit(Side.BUY, 1, P100K).status == OrderStatus.DENIED
    assert quiet.last_denial().reason_code == "REDUCE_ONLY_STATE"


def test_resume_returns_to_the_initial_state_and_orders_pass(quiet):
    quiet.risk.kill("drill")
    quiet.risk.resume("drill over")
    assert quiet.risk.trading_state == TradingState.ACTIVE
    assert quiet.limit(Side.BUY, 1, P100K).status == OrderStatus.SUBMITTED


def test_resume_of_a_reducing_engine_returns_to_reducing():
    harness = Harness(RiskConfig(initial_state="REDUCING"))
    harness.risk.kill("drill")
    harness.risk.resume("drill over")
    assert harness.risk.trading_state == TradingState.REDUCING


def test_state_changes_are_published_with_reason_and_source(quiet):
    changes = []
    quiet.node.bus.subscribe(TRADING_STATE_TOPIC, changes.append)
    quiet.limit(Side.BUY, 1, P100K)
    quiet.risk.kill("drill")
    quiet.risk.set_trading_state("ACTIVE", "drill over")
    assert [(c.previous, c.state, c.reason, c.source) for c in changes] == [
        ("ACTIVE", "HALTED", "drill", "in-process"),
        ("HALTED", "ACTIVE", "drill over", "in-process"),
    ]
    assert changes[0].canceled_count == 1
    assert changes[0].ts_event == quiet.clock.timestamp_ns()


# -- KILL SWITCH -------------------------------------------------------------------------------


def test_kill_cancels_every_open_order_on_every_venue_and_denies_the_next(quiet):
    spot = quiet.limit(Side.BUY, 1_000, P100K)
    quiet.accept(spot)
    okx = quiet.limit(Side.SELL, 1_000, OKX_P100K, OKX_SPOT)
    other = quiet.limit(Side.BUY, 1, P100K, strategy=quiet.add_strategy("S2"))
    assert quiet.risk.kill("max loss") == 3
    assert quiet.clients["BINANCE"].canceled == [spot, other]
    assert quiet.clients["OKX"].canceled == [okx]
    assert {o.status for o in (spot, okx, other)} == {OrderStatus.PENDING_CANCEL}
    assert quiet.limit(Side.BUY, 1, P100K).status == OrderStatus.DENIED
    assert quiet.clients["BINANCE"].submitted == [spot, other]


class KillOnFill(Strategy):
    """Kills trading on its first fill, then tries another order in the same event."""

    def __init__(self, risk):
        super().__init__(StrategyConfig(strategy_id="K1"))
        self.risk = risk
        self.outcomes = []

    def on_fill(self, fill):
        self.risk.kill("stop on first fill")
        self.outcomes.append(self.limit(SPOT, Side.BUY, 10, P100K).status)


def test_kill_from_a_strategy_hook_denies_its_next_order_in_the_same_event(quiet):
    strategy = KillOnFill(quiet.risk)
    quiet.node.add_strategy(strategy)
    order = strategy.limit(SPOT, Side.BUY, 10, P100K)
    resting = strategy.limit(SPOT, Side.BUY, 10, P100K - 100)
    quiet.fill(order, 10, P100K)
    assert strategy.outcomes == [OrderStatus.DENIED]
    assert resting.status == OrderStatus.PENDING_CANCEL


def test_halt_found_while_checking_an_order_denies_it_and_cancels_the_others(tmp_path):
    path = tmp_path / "kill.json"
    harness = Harness(only(kill_switch=KillSwitchConfig(file=str(path), poll_every_orders=1)))
    harness.risk.start()
    resting = harness.limit(Side.BUY, 1, P100K)
    FileKillSwitch(path).write(make_command("kill", "from the desk", "test"))
    order = harness.limit(Side.BUY, 2, P100K)
    assert order.status == OrderStatus.DENIED
    assert harness.last_denial().reason_code == "TRADING_HALTED"
    assert harness.clients["BINANCE"].canceled == [resting]
    assert harness.risk.external_command_count == 1


def test_kill_switch_file_saying_kill_at_start_starts_halted(tmp_path):
    path = tmp_path / "kill.json"
    FileKillSwitch(path).write(make_command("kill", "left on overnight", "test"))
    harness = Harness(only(kill_switch=KillSwitchConfig(file=str(path))))
    harness.risk.start()
    assert harness.risk.is_halted
    assert "left on overnight" in harness.risk.state_reason


def test_monitor_timer_polls_the_file_and_resume_clears_the_halt(tmp_path):
    path = tmp_path / "kill.json"
    harness = Harness(only(kill_switch=KillSwitchConfig(file=str(path), poll_every_orders=0)))
    harness.risk.start()
    switch = FileKillSwitch(path)
    switch.write(make_command("kill", "drill", "test"))
    assert not harness.risk.is_halted
    advance(harness, MONITOR_NS)
    assert harness.risk.is_halted
    switch.write(make_command("resume", "drill over", "test"))
    advance(harness, MONITOR_NS)
    assert harness.risk.trading_state == TradingState.ACTIVE


def test_reduce_command_moves_to_reducing(tmp_path):
    path = tmp_path / "kill.json"
    harness = Harness(only(kill_switch=KillSwitchConfig(file=str(path))))
    harness.risk.start()
    FileKillSwitch(path).write(make_command("reduce", "flatten", "test"))
    assert harness.risk.poll_kill_switch() == 1
    assert harness.risk.trading_state == TradingState.REDUCING


def test_backtest_engine_ignores_the_default_file(private_kill_switch_file):
    FileKillSwitch(private_kill_switch_file).write(make_command("kill", "live desk", "test"))
    harness = Harness(only())
    harness.risk.start()
    assert harness.risk.kill_switch_sources == []
    assert not harness.risk.is_halted


def test_stop_cancels_the_monitor_timer_and_closes_sources(tmp_path):
    harness = Harness(only(kill_switch=KillSwitchConfig(socket=str(tmp_path / "risk.sock"))))
    harness.risk.start()
    assert (tmp_path / "risk.sock").exists()
    harness.risk.stop()
    assert "risk.monitor" not in harness.clock.timer_names
    assert not (tmp_path / "risk.sock").exists()


# -- TRIGGERS ----------------------------------------------------------------------------------


def losing(daily_loss_limit=None, max_drawdown=None):
    harness = Harness(
        only(
            triggers=TriggersConfig(
                daily_loss_limit=daily_loss_limit and Decimal(daily_loss_limit),
                max_drawdown=max_drawdown and Decimal(max_drawdown),
            )
        ),
        balances(("BINANCE", "USDT", "100000")),
    )
    harness.position(Side.BUY, 100_000, P100K)  # 1 BTC at 100000: equity 100000
    harness.risk.start()
    advance(harness, MONITOR_NS)  # the day's baseline
    return harness


def test_daily_loss_limit_halts_on_the_monitor_timer():
    harness = losing(daily_loss_limit="500")
    harness.book(9_949_000, 9_951_000)  # mid 99500: equity 99500, loss 500
    assert not harness.risk.is_halted
    advance(harness, MONITOR_NS)
    assert harness.risk.is_halted
    assert harness.risk.state_reason.startswith("daily loss 500.00")


def test_loss_under_the_limit_keeps_trading():
    harness = losing(daily_loss_limit="500")
    harness.book(9_950_000, 9_950_200)  # mid 99501
    advance(harness, MONITOR_NS)
    assert not harness.risk.is_halted


def test_drawdown_counts_from_the_equity_peak():
    harness = losing(max_drawdown="1000")
    harness.book(10_199_900, 10_200_100)  # mid 102000: peak 102000
    advance(harness, MONITOR_NS)
    harness.book(10_099_900, 10_100_100)  # mid 101000: 1000 below the peak
    advance(harness, MONITOR_NS)
    assert harness.risk.is_halted
    assert "drawdown 1000" in harness.risk.state_reason


def test_trigger_without_a_price_counts_an_error_and_keeps_trading():
    harness = Harness(
        only(triggers=TriggersConfig(daily_loss_limit=Decimal(1))),
        balances(("BINANCE", "ETH", "1")),
    )
    harness.risk.start()
    advance(harness, MONITOR_NS)
    assert harness.risk.trigger_error_count == 1
    assert not harness.risk.is_halted


def test_repeated_venue_rejects_within_the_window_halt():
    harness = Harness(only(triggers=TriggersConfig(max_rejects=3, reject_window_ms=1_000)))
    for step in range(3):
        harness.reject(harness.limit(Side.BUY, 1, P100K))
        assert harness.risk.is_halted == (step == 2)
    assert "3 venue rejects within 1000 ms" in harness.risk.state_reason


def test_rejects_spread_past_the_window_do_not_halt():
    harness = Harness(only(triggers=TriggersConfig(max_rejects=3, reject_window_ms=1_000)))
    for _ in range(5):
        harness.reject(harness.limit(Side.BUY, 1, P100K))
        advance(harness, 600_000_000)
    assert not harness.risk.is_halted


def test_venue_disconnect_while_holding_a_position_halts(quiet):
    quiet.position(Side.SELL, 5, 1_000_000, PERP)
    assert quiet.risk.on_venue_disconnected("BINANCE") is True
    assert quiet.risk.is_halted
    assert "BTCUSDT-PERP.BINANCE=-5" in quiet.risk.state_reason


def test_venue_disconnect_without_a_position_there_keeps_trading(quiet):
    quiet.position(Side.BUY, 5, P100K)
    assert quiet.risk.on_venue_disconnected("OKX") is False
    assert not quiet.risk.is_halted


def test_venue_disconnect_trigger_can_be_switched_off():
    harness = Harness(only(triggers=TriggersConfig(halt_on_disconnect_with_position=False)))
    harness.position(Side.BUY, 5, P100K)
    assert harness.risk.on_venue_disconnected("BINANCE") is False


def test_loss_triggers_without_a_portfolio_are_a_config_error():
    with pytest.raises(ConfigError, match=r"risk\.triggers"):
        Harness(only(triggers=TriggersConfig(max_drawdown=Decimal(1))), with_portfolio=False)


# -- COUNTERS AND API --------------------------------------------------------------------------


def test_denials_are_counted_per_reason(quiet):
    harness = Harness(only(max_order=MaxOrderConfig(quantity=Decimal("0.0001"))))
    harness.limit(Side.BUY, 11, P100K)
    harness.limit(Side.BUY, 12, P100K)
    harness.limit(Side.BUY, 10, P100K)
    harness.risk.kill("drill")
    harness.limit(Side.BUY, 1, P100K)
    counts = harness.risk.denial_counts()
    assert counts["MAX_ORDER_QUANTITY"] == 2
    assert counts["TRADING_HALTED"] == 1
    assert sum(counts.values()) == harness.risk.denied_count == 3
    counters = harness.risk.counters()
    assert counters["checked_count"] == 4
    assert counters["approved_count"] == 1
    assert counters["denied_max_order_quantity_count"] == 2


def test_check_order_can_be_called_directly_with_an_order_outside_the_cache(quiet):
    order = make_order(instrument_id=SPOT, quantity_lots=1, price_ticks=P100K)
    assert quiet.risk.check_order(order) is None
    quiet.risk.kill("drill")
    denial = quiet.risk.check_order(order)
    assert (denial.reason_code, denial.client_order_id) == ("TRADING_HALTED", order.client_order_id)


def test_engine_lists_its_checks_in_run_order():
    harness = Harness(RiskConfig(max_order=MaxOrderConfig(), balance=BalanceConfig()))
    assert [check.name for check in harness.risk.checks] == [
        "instrument_rules",
        "max_order",
        "price_band",
        "self_trade",
        "balance",
    ]


def test_config_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="expected RiskConfig"):
        RiskEngine({"max_order": {}})


def test_unregistered_engine_says_how_to_wire_it():
    with pytest.raises(ConfigError, match=r"call register\(node\)"):
        RiskEngine().check_order(make_order())
