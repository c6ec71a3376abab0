from pathlib import Path

import pytest

from hftcore.cli.main import build_parser


def test_paper_parses_strategy_and_venues():
    args = build_parser().parse_args(["paper", "strategies/as_maker.py", "--venue", "okx"])
    assert (args.strategy_file, args.venue, args.config) == (
        Path("strategies/as_maker.py"),
        ("okx",),
        None,
    )


def test_paper_requires_venue(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["paper", "strategies/as_maker.py"])
    assert "required: --venue" in capsys.readouterr().err
