"""The compact log of a run's fills: what goes in comes back, in order."""

import math

import pytest

from backtest.fill_log import FillLog
from hftcore.model.enums import LiquiditySide, Side
from hftcore.model.money import Money
from tests.builders.events import INSTRUMENT_ID, STRATEGY_ID, make_order_filled


def test_a_recorded_fill_reads_back_field_for_field():
    log = FillLog()
    event = make_order_filled(
        last_price_ticks=101_234,
        last_qty_lots=7,
        order_side=Side.SELL,
        liquidity_side=LiquiditySide.TAKER,
        fee=Money.from_str("-0.000123", "BNB"),
        trade_id="T-9",
        venue_order_id="V-3",
        client_order_id="C-5",
        ts_event=11,
        ts_recv=22,
    )
    log(event, 101_233.5)
    ts_event, ts_recv, cid, vid, tid, sid, iid, side, price, qty, liquidity, fee, mid = log.row(0)
    assert (ts_event, ts_recv, cid, vid, tid) == (11, 22, "C-5", "V-3", "T-9")
    assert (sid, iid) == (STRATEGY_ID, INSTRUMENT_ID)
    assert (Side(side), price, qty, LiquiditySide(liquidity)) == (
        Side.SELL,
        101_234,
        7,
        LiquiditySide.TAKER,
    )
    assert (fee.raw, fee.precision, fee.currency) == (-123, 6, "BNB")
    assert mid == 101_233.5


def test_a_fill_without_a_mid_reads_back_none_and_a_nan_mid_stays_nan():
    log = FillLog()
    log(make_order_filled(trade_id="A"), None)
    log(make_order_filled(trade_id="B"), math.nan)
    assert log.row(0)[-1] is None
    assert math.isnan(log.row(1)[-1])


def test_thousands_of_fills_keep_their_order():
    log = FillLog()
    for index in range(3_000):
        log(make_order_filled(trade_id=f"T-{index}", last_qty_lots=index + 1), float(index))
    assert len(log) == log.count == 3_000
    assert [log.row(i)[4] for i in (0, 1_023, 1_024, 2_999)] == [
        "T-0",
        "T-1023",
        "T-1024",
        "T-2999",
    ]
    assert [log.row(i)[9] for i in (0, 2_999)] == [1, 3_000]


def test_reading_past_the_last_fill_names_the_index():
    log = FillLog()
    log(make_order_filled(), None)
    with pytest.raises(IndexError, match=r"index 1 not in 0\.\.0"):
        log.row(1)
