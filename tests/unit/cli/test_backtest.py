from pathlib import Path

import pytest

from hftcore.cli.main import build_parser


def test_backtest_parses_every_documented_argument():
    argv = (
        "backtest strategies/as_maker.py --config configs/as_maker.toml --data catalog"
        " --source clickhouse --clickhouse-url http://127.0.0.1:8123 --venues binance,okx"
        " --symbols BTCUSDT --start 2024-08-08 --end 2024-08-09 --queue-model power"
        " --latency constant --seed 7 --out runs/test"
    )
    args = build_parser().parse_args(argv.split())
    assert (args.strategy_file, args.config, args.data) == (
        Path("strategies/as_maker.py"),
        Path("configs/as_maker.toml"),
        Path("catalog"),
    )
    assert (args.source, args.clickhouse_url) == ("clickhouse", "http://127.0.0.1:8123")
    assert (args.venues, args.symbols) == (("binance", "okx"), ("BTCUSDT",))
    assert (args.start, args.end) == (1_723_075_200_000_000_000, 1_723_161_600_000_000_000)
    assert (args.queue_model, args.latency, args.seed, args.out) == (
        "power",
        "constant",
        7,
        Path("runs/test"),
    )


def test_backtest_defaults_to_the_local_parquet_catalog():
    args = build_parser().parse_args(["backtest", "strategies/as_maker.py"])
    assert (args.source, args.data, args.out, args.seed) == (
        "parquet",
        Path("data"),
        Path("runs"),
        0,
    )


def test_backtest_rejects_an_unknown_source(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["backtest", "s.py", "--source", "csv"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'csv'" in capsys.readouterr().err


def test_backtest_requires_a_strategy_file(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["backtest"])
    assert "STRATEGY_FILE" in capsys.readouterr().err
