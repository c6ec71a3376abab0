import json

from backtest.report import format_summary_table, write_report
from tests.builders.runs import make_equity_curve, make_fill, make_order, make_run_dir


def test_write_report_writes_summary_json_equal_to_its_result(tmp_path):
    run_dir = make_run_dir(
        tmp_path, orders=[make_order()], fills=[make_fill()], equity=make_equity_curve([1e4, 1e4])
    )
    summary = write_report(run_dir)
    assert json.loads((run_dir / "summary.json").read_text()) == summary


def test_write_report_writes_a_complete_html_document(tmp_path):
    run_dir = make_run_dir(tmp_path, equity=make_equity_curve([1e4, 1e4]))
    write_report(run_dir)
    text = (run_dir / "report.html").read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert text.endswith("</html>\n")


def test_write_report_result_feeds_the_summary_table(tmp_path):
    summary = write_report(make_run_dir(tmp_path, equity=make_equity_curve([1e4])))
    assert format_summary_table(summary).title == "Backtest summary: as_maker"
