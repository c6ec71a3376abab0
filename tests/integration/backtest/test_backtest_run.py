"""End to end: ``hft backtest`` on a synthetic two-venue catalog, its run folder, determinism."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from backtest.results import EQUITY_SCHEMA, FILLS_SCHEMA, ORDERS_SCHEMA
from backtest.runner import run_backtest
from hftcore.cli.main import main

STRATEGY_FILE = Path(__file__).with_name("requote_strategy.py")
INSTRUMENTS = '["BTCUSDT.BINANCE", "BTC-USDT.OKX"]'
RANDOM_CONFIG = f"""
[strategy]
instruments = {INSTRUMENTS}

[backtest]
queue_model = "power:2"
latency = "random:entry=2ms,response=2ms,sigma=0.5"
seed = 11
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "catalog"
    subprocess.run(
        [sys.executable, "-m", "hftcore.cli", "data", "synth", "--events", "40000",
         "--out", str(root), "--no-progress"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return root


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "requote.toml"
    path.write_text(RANDOM_CONFIG)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_hft_backtest_writes_the_run_folder_of_the_contract(catalog, config, tmp_path, capsys):
    out = tmp_path / "run"
    status = main(
        ["backtest", str(STRATEGY_FILE), "--config", str(config), "--data", str(catalog),
         "--out", str(out)]
    )  # fmt: skip
    assert status == 0
    assert pq.read_schema(out / "orders.parquet").names == ORDERS_SCHEMA.names
    assert pq.read_schema(out / "fills.parquet").names == FILLS_SCHEMA.names
    assert pq.read_schema(out / "equity.parquet").names == EQUITY_SCHEMA.names
    info = json.loads((out / "run.json").read_text())
    assert info["venues"] == ["BINANCE", "OKX"]
    assert info["events"] > 0 and info["initial_equity"] > 0
    assert str(out) in capsys.readouterr().out


def test_same_data_config_and_seed_give_byte_identical_fills(catalog, config, tmp_path):
    _, first = run_backtest(STRATEGY_FILE, tmp_path / "a", config_file=config, data=catalog)
    _, second = run_backtest(STRATEGY_FILE, tmp_path / "b", config_file=config, data=catalog)
    assert pq.read_table(first / "fills.parquet").num_rows > 0
    assert sha256(first / "fills.parquet") == sha256(second / "fills.parquet")
    assert sha256(first / "orders.parquet") == sha256(second / "orders.parquet")


def test_another_seed_draws_other_latencies(catalog, config, tmp_path):
    _, first = run_backtest(STRATEGY_FILE, tmp_path / "a", config_file=config, data=catalog)
    _, second = run_backtest(
        STRATEGY_FILE, tmp_path / "b", config_file=config, data=catalog, seed=12
    )
    assert sha256(first / "orders.parquet") != sha256(second / "orders.parquet")


def test_one_backtest_trades_two_venues_with_separate_accounts(catalog, config, tmp_path):
    run, out = run_backtest(STRATEGY_FILE, tmp_path / "run", config_file=config, data=catalog)
    fills = pq.read_table(out / "fills.parquet")
    assert set(fills.column("venue").to_pylist()) == {"BINANCE", "OKX"}
    balances = {v.venue.value: v.account.balances() for v in run.venues}
    assert balances["BINANCE"]["USDT"] != balances["OKX"]["USDT"]
    assert {v.venue.value: v.reports.report_count > 0 for v in run.venues} == {
        "BINANCE": True,
        "OKX": True,
    }


def test_equity_is_sampled_per_instrument_with_our_quotes(catalog, config, tmp_path):
    _, out = run_backtest(STRATEGY_FILE, tmp_path / "run", config_file=config, data=catalog)
    equity = pq.read_table(out / "equity.parquet").to_pylist()
    assert {row["instrument_id"] for row in equity} == {"BTCUSDT.BINANCE", "BTC-USDT.OKX"}
    quoted = [row for row in equity if row["our_bid_f64"] == row["our_bid_f64"]]
    assert quoted
    assert all(abs(row["our_bid_f64"] / row["mid_f64"] - 1) < 0.01 for row in quoted)


def test_clickhouse_source_replays_the_same_fills_as_parquet(catalog, config, tmp_path):
    pytest.importorskip("chdb")
    _, parquet = run_backtest(STRATEGY_FILE, tmp_path / "p", config_file=config, data=catalog)
    _, clickhouse = run_backtest(
        STRATEGY_FILE, tmp_path / "c", config_file=config, data=catalog, source="clickhouse"
    )
    assert sha256(parquet / "fills.parquet") == sha256(clickhouse / "fills.parquet")


def test_unknown_queue_model_is_reported_without_a_traceback(catalog, tmp_path, capsys):
    status = main(
        ["backtest", str(STRATEGY_FILE), "--data", str(catalog), "--queue-model", "fifo",
         "--out", str(tmp_path / "run")]
    )  # fmt: skip
    assert status == 1
    assert "queue_model" in capsys.readouterr().err


@pytest.fixture
def nested_data(catalog, tmp_path) -> Path:
    # A default ``data`` catalog without the strategy's instruments (a triangle on one venue),
    # and below it the two-venue catalog that holds them.
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "-m", "hftcore.cli", "data", "synth", "--events", "5000",
         "--profile", "triangle", "--out", str(data), "--no-progress"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (data / "pair").symlink_to(catalog, target_is_directory=True)
    return data


def test_without_data_a_bundled_catalog_holding_the_instruments_is_used(
    nested_data, config, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    status = main(["backtest", str(STRATEGY_FILE), "--config", str(config), "--out", "run"])
    assert status == 0
    assert "data lacks the strategy's instruments; using data/pair" in capsys.readouterr().err
    assert json.loads((tmp_path / "run" / "run.json").read_text())["venues"] == ["BINANCE", "OKX"]


def test_an_explicit_data_catalog_without_the_instruments_is_an_error(
    nested_data, config, tmp_path, capsys
):
    status = main(
        ["backtest", str(STRATEGY_FILE), "--config", str(config), "--data", str(nested_data),
         "--out", str(tmp_path / "run")]
    )  # fmt: skip
    assert status == 1
    assert "['BTC-USDT.OKX'] are not in the data" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
