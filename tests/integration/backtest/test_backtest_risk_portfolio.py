"""A backtest runs the live risk engine and portfolio; a triangle run is valued in USDT."""

import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from backtest.config import DEFAULT_BASE_BALANCE, DEFAULT_QUOTE_BALANCE
from backtest.runner import build_backtest, run_backtest
from hftcore.errors import ConfigError
from hftcore.model.identifiers import Venue
from hftcore.portfolio import Portfolio
from hftcore.risk import RiskEngine

STRATEGY_FILE = Path(__file__).with_name("requote_strategy.py")
TWO_VENUES = '["BTCUSDT.BINANCE", "BTC-USDT.OKX"]'
TRIANGLE = '["BTCUSDT.BINANCE", "ETHBTC.BINANCE", "ETHUSDT.BINANCE"]'


def synth(root: Path, *options: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "hftcore.cli", "data", "synth", "--events", "20000",
         "--out", str(root), "--no-progress", *options],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return root


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    return synth(tmp_path_factory.mktemp("synth") / "catalog")


@pytest.fixture(scope="module")
def triangle(tmp_path_factory) -> Path:
    return synth(tmp_path_factory.mktemp("synth") / "triangle", "--profile", "triangle")


def write_config(tmp_path: Path, body: str, instruments: str = TWO_VENUES) -> Path:
    path = tmp_path / "run.toml"
    path.write_text(f"[strategy]\ninstruments = {instruments}\n{body}")
    return path


def test_the_node_runs_a_risk_engine_and_a_portfolio_the_strategy_reads(catalog, tmp_path):
    run = build_backtest(STRATEGY_FILE, write_config(tmp_path, ""), data=catalog)
    assert isinstance(run.node.risk_engine, RiskEngine)
    assert isinstance(run.node.portfolio, Portfolio)
    assert run.strategy.portfolio is run.node.portfolio


def test_every_order_goes_through_the_risk_engine(catalog, tmp_path):
    run = build_backtest(STRATEGY_FILE, write_config(tmp_path, ""), data=catalog)
    run.run()
    assert run.node.risk_engine.checked_count == len(run.node.cache.orders()) > 0


def test_the_portfolio_starts_from_the_simulated_accounts_balances(catalog, tmp_path):
    body = '[backtest.venues.OKX]\nbalances = { USDT = "5000", BTC = "0.5" }\n'
    run = build_backtest(STRATEGY_FILE, write_config(tmp_path, body), data=catalog)
    portfolio = run.node.portfolio
    assert portfolio.balance(Venue("OKX"), "USDT").total == Decimal("5000")
    assert portfolio.balance(Venue("OKX"), "BTC").total == Decimal("0.5")
    assert portfolio.balance(Venue("BINANCE"), "BTC").total == Decimal(DEFAULT_BASE_BALANCE)
    assert portfolio.balance(Venue("BINANCE"), "USDT").total == Decimal(DEFAULT_QUOTE_BALANCE)


def test_the_portfolio_follows_the_fills(catalog, tmp_path):
    run = build_backtest(STRATEGY_FILE, write_config(tmp_path, ""), data=catalog)
    run.run()
    assert run.node.portfolio.fill_count == run.recorder.fill_count > 0


def test_a_backtest_polls_no_kill_switch_file_by_default(catalog, tmp_path):
    run = build_backtest(STRATEGY_FILE, write_config(tmp_path, ""), data=catalog)
    run.run()
    assert run.node.risk_engine.kill_switch_sources == []


def test_orders_the_risk_engine_denies_are_denied_with_the_reason(catalog, tmp_path):
    body = '[risk.max_order]\nquantity = "0.0005"\n'
    _, out = run_backtest(
        STRATEGY_FILE, tmp_path / "run", config_file=write_config(tmp_path, body), data=catalog
    )
    orders = pq.read_table(out / "orders.parquet").to_pylist()
    assert orders and {order["status"] for order in orders} == {"DENIED"}
    assert all("> max 0.00050" in order["reject_reason"] for order in orders)
    assert pq.read_table(out / "fills.parquet").num_rows == 0


def test_balances_in_the_portfolio_table_are_refused(catalog, tmp_path):
    body = '[[portfolio.balances]]\nvenue = "OKX"\nasset = "USDT"\namount = "1"\n'
    with pytest.raises(ConfigError, match=r"portfolio\.balances"):
        build_backtest(STRATEGY_FILE, write_config(tmp_path, body), data=catalog)


def test_run_json_names_the_portfolio_quote_currency(catalog, tmp_path):
    body = '[portfolio]\nquote_currency = "BTC"\n'
    _, out = run_backtest(
        STRATEGY_FILE, tmp_path / "run", config_file=write_config(tmp_path, body), data=catalog
    )
    info = json.loads((out / "run.json").read_text())
    assert info["quote_currency"] == "BTC"
    assert info["config"]["portfolio"]["quote_currency"] == "BTC"
    assert info["unpriced_assets"] == []


def test_triangle_initial_equity_values_btc_and_eth_at_their_usdt_mids(triangle, tmp_path):
    config = write_config(tmp_path, "", TRIANGLE)
    _, out = run_backtest(STRATEGY_FILE, tmp_path / "run", config_file=config, data=triangle)
    equity = pq.read_table(out / "equity.parquet").to_pandas()
    mids = equity.pivot(index="ts", columns="instrument_id", values="mid_f64").dropna()
    first = mids.iloc[0]
    # Default balances: 1e6 USDT, 10 BTC, 10 ETH; BTC and ETH at their USDT mids.
    expected = (
        float(DEFAULT_QUOTE_BALANCE)
        + float(DEFAULT_BASE_BALANCE) * first["BTCUSDT.BINANCE"]
        + float(DEFAULT_BASE_BALANCE) * first["ETHUSDT.BINANCE"]
    )
    info = json.loads((out / "run.json").read_text())
    assert info["initial_equity"] == pytest.approx(expected, rel=1e-12)
    assert not math.isnan(equity["pnl_f64"].iloc[-1])
