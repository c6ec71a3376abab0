from pathlib import Path

import pytest

from hftcore.cli.main import build_parser


def test_live_parses_strategy_venues_and_config():
    args = build_parser().parse_args(
        ["live", "strategies/as_maker.py", "--venue", "binance,okx", "--config", "live.toml"]
    )
    assert (args.strategy_file, args.venue, args.config) == (
        Path("strategies/as_maker.py"),
        ("binance", "okx"),
        Path("live.toml"),
    )


def test_live_requires_venue(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["live", "strategies/as_maker.py"])
    assert exit_info.value.code == 2
    assert "required: --venue" in capsys.readouterr().err
