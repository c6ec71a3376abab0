import json
import math

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from backtest.report.run_folder import read_run_folder
from hftcore.errors import DataUnavailableError, DecodeError
from tests.builders.runs import (
    EQUITY_SCHEMA,
    START_NS,
    make_equity_curve,
    make_equity_row,
    make_fill,
    make_order,
    make_run_dir,
    make_run_info,
)


def test_read_run_folder_loads_every_file(tmp_path):
    run_dir = make_run_dir(
        tmp_path,
        orders=[make_order()],
        fills=[make_fill()],
        equity=make_equity_curve([10_000.0, 10_001.0]),
    )
    run = read_run_folder(run_dir)
    assert (run.orders.height, run.fills.height, run.equity.height) == (1, 1, 2)
    assert run.info.strategy == "as_maker"
    assert run.info.initial_equity == 10_000.0


def test_read_run_folder_reads_decimal_quantity_strings_as_floats(tmp_path):
    run_dir = make_run_dir(tmp_path, orders=[make_order(quantity="0.010", filled_quantity="0.004")])
    assert read_run_folder(run_dir).orders["filled_quantity"].to_list() == [0.004]


def test_read_run_folder_keeps_an_unknown_mid_at_fill_as_nan(tmp_path):
    run_dir = make_run_dir(tmp_path, fills=[make_fill(mid_at_fill_f64=math.nan)])
    assert math.isnan(read_run_folder(run_dir).fills["mid_at_fill_f64"][0])


def test_read_run_folder_sorts_equity_by_time(tmp_path):
    rows = [make_equity_row(ts=START_NS + 2), make_equity_row(ts=START_NS + 1)]
    run = read_run_folder(make_run_dir(tmp_path, equity=rows))
    assert run.equity["ts"].to_list() == [START_NS + 1, START_NS + 2]


def test_read_run_folder_of_a_missing_directory_names_it(tmp_path):
    with pytest.raises(DataUnavailableError, match="no-run: run folder not found"):
        read_run_folder(tmp_path / "no-run")


def test_read_run_folder_names_a_missing_file(tmp_path):
    run_dir = make_run_dir(tmp_path)
    (run_dir / "fills.parquet").unlink()
    with pytest.raises(DataUnavailableError, match="not a complete run folder; missing fills"):
        read_run_folder(run_dir)


def test_read_run_folder_names_a_missing_run_json_key(tmp_path):
    info = make_run_info()
    del info["events"]
    run_dir = make_run_dir(tmp_path, run=info)
    with pytest.raises(DecodeError, match=r"run\.json: .*missing required field `events`"):
        read_run_folder(run_dir)


def test_read_run_folder_names_a_run_json_key_of_the_wrong_type(tmp_path):
    run_dir = make_run_dir(tmp_path, run=make_run_info(initial_equity="lots"))
    with pytest.raises(
        DecodeError, match=r"run\.json: Expected `float`, got `str` - at `\$\.initial_equity`"
    ):
        read_run_folder(run_dir)


def test_read_run_folder_rejects_run_json_that_is_not_json(tmp_path):
    run_dir = make_run_dir(tmp_path)
    (run_dir / "run.json").write_text("{strategy")
    with pytest.raises(DecodeError, match=r"run\.json: "):
        read_run_folder(run_dir)


def test_read_run_folder_accepts_extra_run_json_keys(tmp_path):
    run_dir = make_run_dir(tmp_path, run=make_run_info(risk_denials=3))
    assert read_run_folder(run_dir).info.events == 1_000_000


def test_read_run_folder_names_a_missing_column(tmp_path):
    run_dir = make_run_dir(tmp_path)
    schema = EQUITY_SCHEMA.remove(EQUITY_SCHEMA.get_field_index("our_bid_f64"))
    pq.write_table(schema.empty_table(), run_dir / "equity.parquet")
    with pytest.raises(DecodeError, match=r"equity\.parquet: missing column\(s\) our_bid_f64"):
        read_run_folder(run_dir)


def test_read_run_folder_names_a_column_of_the_wrong_type(tmp_path):
    run_dir = make_run_dir(tmp_path, orders=[make_order(filled_quantity="some")])
    with pytest.raises(DecodeError, match=r"orders\.parquet: column filled_quantity: expected"):
        read_run_folder(run_dir)


def test_read_run_folder_rejects_a_file_that_is_not_parquet(tmp_path):
    run_dir = make_run_dir(tmp_path)
    (run_dir / "orders.parquet").write_bytes(b"not parquet")
    with pytest.raises(DecodeError, match=r"orders\.parquet: not a readable Parquet file"):
        read_run_folder(run_dir)


def test_read_run_folder_accepts_integer_run_json_numbers_for_floats(tmp_path):
    run_dir = make_run_dir(tmp_path, run=make_run_info(initial_equity=5000, wall_s=2))
    assert read_run_folder(run_dir).info.initial_equity == 5000.0


def test_make_run_dir_writes_the_contract_columns(tmp_path):
    run_dir = make_run_dir(tmp_path, fills=[make_fill()])
    table = pq.read_table(run_dir / "fills.parquet")
    assert table.schema.field("fee_f64").type == pa.float64()
    assert json.loads((run_dir / "run.json").read_text())["quote_currency"] == "USDT"
