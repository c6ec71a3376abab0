"""``hft data import/synth/info`` end to end in temporary directories."""

import json
from pathlib import Path

import pytest

from hftcore.cli.main import main

DATA = ("hftcore.cli.data",)


def hft(*argv: str) -> int:
    return main(list(argv), command_modules=DATA)


def test_synth_writes_a_catalog_and_reports_its_events(tmp_path, capsys):
    status = hft(
        "data",
        "synth",
        "--out",
        str(tmp_path / "c"),
        "--minutes",
        "0.2",
        "--depth",
        "40",
        "--no-progress",
    )
    assert status == 0
    assert (tmp_path / "c" / "catalog.json").exists()
    assert "events" in capsys.readouterr().out


def test_synth_triangle_profile_writes_three_instruments(tmp_path):
    hft(
        "data",
        "synth",
        "--out",
        str(tmp_path / "t"),
        "--profile",
        "triangle",
        "--minutes",
        "0.2",
        "--depth",
        "40",
        "--no-progress",
    )
    ids = {
        item["id"]
        for item in json.loads((tmp_path / "t" / "catalog.json").read_text())["instruments"]
    }
    assert ids == {"BTCUSDT.BINANCE", "ETHUSDT.BINANCE", "ETHBTC.BINANCE"}


def test_synth_without_events_or_minutes_fails_with_a_message(tmp_path, capsys):
    assert hft("data", "synth", "--out", str(tmp_path / "c")) == 1
    assert "--events/--minutes" in capsys.readouterr().err


def test_info_prints_the_summary_as_json(tmp_path, capsys):
    hft(
        "data",
        "synth",
        "--out",
        str(tmp_path / "c"),
        "--minutes",
        "0.2",
        "--depth",
        "40",
        "--no-quotes",
        "--no-progress",
    )
    capsys.readouterr()
    assert hft("data", "info", str(tmp_path / "c"), "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert sorted(summary["kinds"]) == ["book", "trades"]


def test_import_reads_a_tardis_sample_into_the_catalog(shared_data, tmp_path, capsys):
    path = shared_data / "tardis" / "nautilus_deribit_incremental_book_L2_BTC-PERPETUAL.csv"
    status = hft(
        "data",
        "import",
        str(path),
        "--format",
        "tardis",
        "--kind",
        "incremental_book_L2",
        "--out",
        str(tmp_path / "c"),
        "--venue",
        "deribit",
        "--tick-size",
        "0.5",
        "--lot-size",
        "10",
        "--no-progress",
    )
    assert status == 0
    assert "15 rows read, 16 book rows written for BTC-PERPETUAL.DERIBIT" in capsys.readouterr().out


def test_import_of_a_malformed_file_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "trades.csv"
    path.write_text(
        "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n"
        "bitmex,XBTUSD,1583020803145000,1583020803307160,a,sell,8531.5,2152\n"
        "bitmex,XBTUSD,1583020803276000,1583020803336743,b,sell,85x1.5,1\n"
    )
    status = hft(
        "data",
        "import",
        str(path),
        "--format",
        "tardis",
        "--kind",
        "trades",
        "--out",
        str(tmp_path / "c"),
        "--venue",
        "bitmex",
        "--tick-size",
        "0.5",
        "--lot-size",
        "1",
        "--no-progress",
    )
    assert status == 1
    assert "trades.csv:3: column 'price': not a decimal number: '85x1.5'" in (
        capsys.readouterr().err
    )


def test_import_with_skip_bad_reports_the_rejects_file(tmp_path, capsys):
    path = tmp_path / "trades.csv"
    path.write_text(
        "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n"
        "bitmex,XBTUSD,1583020803145000,1583020803307160,a,sell,8531.5,2152\n"
        "bitmex,XBTUSD,1583020803276000,1583020803336743,b,sell,85x1.5,1\n"
    )
    hft(
        "data",
        "import",
        str(path),
        "--format",
        "tardis",
        "--kind",
        "trades",
        "--out",
        str(tmp_path / "c"),
        "--venue",
        "bitmex",
        "--tick-size",
        "0.5",
        "--lot-size",
        "1",
        "--skip-bad",
        "--no-progress",
    )
    assert "1 malformed rows skipped" in capsys.readouterr().out
    assert Path(tmp_path / "c" / "rejects" / "trades.csv.rejects.csv").exists()


@pytest.mark.parametrize("subcommand", ["import", "synth", "info"])
def test_each_subcommand_has_help(subcommand, capsys):
    with pytest.raises(SystemExit) as exit_info:
        hft("data", subcommand, "--help")
    assert exit_info.value.code == 0
    assert "usage: hft data" in capsys.readouterr().out
