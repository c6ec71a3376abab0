import json
from pathlib import Path

from hftcore.cli.main import EXIT_ERROR, build_parser, main
from tests.builders.runs import make_equity_curve, make_fill, make_order, make_run_dir


def test_report_parses_the_run_directory():
    args = build_parser().parse_args(["report", "runs/2024-08-08-as_maker"])
    assert args.run_dir == Path("runs/2024-08-08-as_maker")


def test_report_prints_the_summary_table_and_exits_0(tmp_path, capsys):
    run_dir = make_run_dir(
        tmp_path,
        orders=[make_order()],
        fills=[make_fill()],
        equity=make_equity_curve([10_000.0, 10_012.5]),
    )
    status = main(["report", str(run_dir)])
    out = capsys.readouterr().out
    assert status == 0
    assert "Backtest summary: as_maker" in out
    assert "12.50 USDT" in out
    assert f"report: {run_dir / 'report.html'}" in out


def test_report_writes_summary_json_and_report_html(tmp_path):
    run_dir = make_run_dir(tmp_path, equity=make_equity_curve([10_000.0]))
    main(["report", str(run_dir)])
    assert json.loads((run_dir / "summary.json").read_text())["fills"] == 0
    assert (run_dir / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_report_of_a_missing_folder_names_the_path_and_exits_1(tmp_path, capsys):
    missing = tmp_path / "no-such-run"
    status = main(["report", str(missing)])
    assert status == EXIT_ERROR
    assert capsys.readouterr().err == (
        f"hft report: error: {missing}: run folder not found (expected a directory)\n"
    )


def test_report_of_a_folder_without_run_files_names_the_missing_files(tmp_path, capsys):
    status = main(["report", str(tmp_path)])
    assert status == EXIT_ERROR
    assert capsys.readouterr().err == (
        f"hft report: error: {tmp_path}: not a complete run folder; missing run.json, "
        "orders.parquet, fills.parquet, equity.parquet\n"
    )
