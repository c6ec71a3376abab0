from rich.console import Console

from backtest.report.run_folder import read_run_folder
from backtest.report.summary import METRICS, build_summary
from backtest.report.table import format_summary_table
from tests.builders.runs import make_equity_curve, make_fill, make_run_dir


def rendered(summary):
    console = Console(record=True, width=120, color_system=None)
    console.print(format_summary_table(summary))
    return console.export_text()


def summary_of(tmp_path, **files):
    return build_summary(read_run_folder(make_run_dir(tmp_path, **files)))


def test_table_title_names_the_strategy(tmp_path):
    assert "Backtest summary: as_maker" in rendered(summary_of(tmp_path))


def test_table_has_a_row_per_statistic(tmp_path):
    table = format_summary_table(summary_of(tmp_path))
    assert table.row_count == len(METRICS)


def test_table_shows_values_with_units(tmp_path):
    text = rendered(
        summary_of(tmp_path, fills=[make_fill()], equity=make_equity_curve([10_000.0, 10_250.0]))
    )
    assert "250.00 USDT" in text
    assert "+2.500 %" in text


def test_table_shows_undefined_statistics_as_n_a(tmp_path):
    text = rendered(summary_of(tmp_path, equity=make_equity_curve([10_000.0, 10_000.0])))
    sharpe_line = next(line for line in text.splitlines() if "Sharpe" in line)
    assert sharpe_line.split("│")[-2].strip() == "n/a"
