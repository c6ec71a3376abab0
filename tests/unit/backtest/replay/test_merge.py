"""KWayMerge: order by ts_recv, deterministic tie-breaks, batch boundaries and bad streams."""

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtest.catalog.reader import EventStream, InMemoryEventStream
from backtest.catalog.schema import KIND_RANK, SCHEMAS
from backtest.replay import KWayMerge, StreamKind
from hftcore.errors import ConfigError, DecodeError
from tests.unit.backtest.catalog.tables import make_table


def stream(kind, venue, symbol, ts_recv_ns, batch_rows=1000, seed=0):
    table = make_table(kind, ts_recv_ns, seed)
    return InMemoryEventStream(kind, venue, symbol, table, batch_rows=batch_rows)


def merged(merge: KWayMerge) -> list[tuple[str, str, str, dict]]:
    out = []
    for index, row in merge.iter_events():
        cursor = merge.cursors[index]
        out.append((cursor.stream.kind, cursor.venue, cursor.symbol, row))
    return out


class BatchListStream(EventStream):
    """A stream yielding given batches as they are (to feed the merge bad data)."""

    def __init__(self, kind, batches):
        super().__init__(kind, "BINANCE", "BTCUSDT", -(2**63), 2**63 - 1, prefetch=False)
        self.batch_list = batches

    def _read(self):
        yield from self.batch_list


def test_merge_yields_rows_in_ts_recv_order():
    merge = KWayMerge(
        [
            stream("book", "BINANCE", "BTCUSDT", [1, 4, 9]),
            stream("trades", "OKX", "BTC-USDT", [2, 3, 10]),
            stream("quotes", "BINANCE", "BTCUSDT", [5, 6, 7, 8]),
        ]
    )
    assert [row["ts_recv"] for *_, row in merged(merge)] == list(range(1, 11))


def test_equal_ts_recv_puts_book_before_quotes_before_trades():
    merge = KWayMerge(
        [
            stream("trades", "BINANCE", "BTCUSDT", [5]),
            stream("quotes", "BINANCE", "BTCUSDT", [5]),
            stream("book", "BINANCE", "BTCUSDT", [5]),
        ]
    )
    assert [kind for kind, *_ in merged(merge)] == ["book", "quotes", "trades"]


def test_equal_ts_recv_and_kind_orders_by_venue_then_symbol():
    merge = KWayMerge(
        [
            stream("book", "OKX", "BTC-USDT", [5]),
            stream("book", "BINANCE", "ETHUSDT", [5]),
            stream("book", "BINANCE", "BTCUSDT", [5]),
        ]
    )
    assert [(venue, symbol) for _, venue, symbol, _ in merged(merge)] == [
        ("BINANCE", "BTCUSDT"),
        ("BINANCE", "ETHUSDT"),
        ("OKX", "BTC-USDT"),
    ]


def test_rows_of_one_stream_with_equal_ts_recv_keep_their_stored_order():
    merge = KWayMerge(
        [
            stream("book", "BINANCE", "BTCUSDT", [5, 5, 5, 5], batch_rows=3),
            stream("book", "OKX", "BTC-USDT", [5, 5]),
        ]
    )
    sequences = [(venue, row["sequence"]) for _, venue, _, row in merged(merge)]
    assert sequences == [
        ("BINANCE", 1),
        ("BINANCE", 2),
        ("BINANCE", 3),
        ("BINANCE", 4),
        ("OKX", 1),
        ("OKX", 2),
    ]


def test_cursors_are_in_tie_break_order_whatever_order_the_streams_come_in():
    streams = [
        stream("trades", "BINANCE", "BTCUSDT", [1]),
        stream("book", "OKX", "BTC-USDT", [1]),
        stream("quotes", "BINANCE", "BTCUSDT", [1]),
        stream("book", "BINANCE", "BTCUSDT", [1]),
    ]
    cursors = KWayMerge(streams).cursors
    assert [(c.kind, c.venue) for c in cursors] == [
        (StreamKind.BOOK, "BINANCE"),
        (StreamKind.BOOK, "OKX"),
        (StreamKind.QUOTES, "BINANCE"),
        (StreamKind.TRADES, "BINANCE"),
    ]


def test_rows_read_through_the_typed_columns_equal_the_stored_rows():
    tables = {
        kind: make_table(kind, np.arange(7) * 10 + rank, seed=rank)
        for rank, kind in enumerate(SCHEMAS)
    }
    streams = [
        InMemoryEventStream(k, "BINANCE", "BTCUSDT", t, batch_rows=3) for k, t in tables.items()
    ]
    got = {}
    for kind, _, _, row in merged(KWayMerge(streams)):
        got.setdefault(kind, []).append(row)
    assert got == {kind: table.to_pylist() for kind, table in tables.items()}


def test_trade_ids_are_read_from_sliced_batches():
    table = make_table("trades", [1, 2, 3, 4, 5])
    sliced = InMemoryEventStream("trades", "BINANCE", "BTCUSDT", table.slice(2), batch_rows=2)
    rows = [row for *_, row in merged(KWayMerge([sliced]))]
    assert [row["trade_id"] for row in rows] == ["0-2", "0-3", "0-4"]


def test_trade_id_at_outside_the_batch_raises_index_error():
    merge = KWayMerge([stream("trades", "BINANCE", "BTCUSDT", [1, 2])])
    with pytest.raises(IndexError, match="row 2"):
        merge.cursors[0].trade_id_at(2)


def test_drain_counts_every_event_and_ends_the_merge():
    merge = KWayMerge(
        [
            stream("book", "BINANCE", "BTCUSDT", range(0, 1000, 3), batch_rows=7),
            stream("trades", "OKX", "X", range(500)),
        ]
    )
    assert merge.drain() == 334 + 500
    assert merge.event_count == 834
    assert list(merge.iter_events()) == []


def test_a_merge_of_no_streams_is_empty():
    assert KWayMerge([]).drain() == 0


def test_an_empty_stream_is_skipped():
    merge = KWayMerge([stream("book", "BINANCE", "BTCUSDT", []), stream("trades", "OKX", "X", [1])])
    assert [kind for kind, *_ in merged(merge)] == ["trades"]


def test_a_cursor_holds_only_its_current_batch():
    merge = KWayMerge([stream("book", "BINANCE", "BTCUSDT", range(100), batch_rows=10)])
    cursor = merge.cursors[0]
    assert (cursor.size, cursor.batch_count) == (10, 1)
    for _ in zip(range(25), merge.iter_events(), strict=False):
        pass
    assert (cursor.size, cursor.batch_count, cursor.row) == (10, 3, 4)


def test_a_stream_given_twice_is_a_config_error():
    with pytest.raises(ConfigError, match="given twice"):
        KWayMerge(
            [stream("book", "BINANCE", "BTCUSDT", [1]), stream("book", "BINANCE", "BTCUSDT", [2])]
        )


def test_an_unknown_stream_kind_is_a_config_error():
    bad = stream("book", "BINANCE", "BTCUSDT", [1])
    bad.kind = "bars"
    with pytest.raises(ConfigError, match="bars"):
        KWayMerge([bad])


def test_a_stream_going_back_in_time_across_batches_is_a_decode_error():
    batches = make_table("quotes", [5, 6, 4]).to_batches(max_chunksize=2)
    merge = KWayMerge([BatchListStream("quotes", batches)])
    with pytest.raises(DecodeError, match="batch 1 row 0: ts_recv 4 < previous 6"):
        merge.drain()


def test_a_batch_with_another_schema_is_a_decode_error_naming_the_stream():
    batch = make_table("quotes", [1]).to_batches()[0]
    with pytest.raises(DecodeError, match=r"book BTCUSDT\.BINANCE.*schema mismatch"):
        KWayMerge([BatchListStream("book", [batch])])


def test_a_batch_with_nulls_is_a_decode_error():
    table = make_table("quotes", [1, 2])
    nulls = table.set_column(3, "bid_size_lots", pa.array([1, None], pa.int64()))
    with pytest.raises(DecodeError, match="bid_size_lots"):
        KWayMerge([BatchListStream("quotes", nulls.to_batches())])


stream_specs = st.lists(
    st.tuples(
        st.sampled_from(["book", "quotes", "trades"]),
        st.sampled_from(["BINANCE", "OKX"]),
        st.lists(st.integers(0, 20), max_size=30),
        st.integers(1, 5),
    ),
    max_size=6,
    unique_by=lambda spec: spec[:2],
)


@given(stream_specs)
def test_merge_equals_a_stable_sort_by_ts_recv_then_stream_rank(specs):
    streams = []
    expected = []
    for seed, (kind, venue, ts_list, batch_rows) in enumerate(specs):
        table = make_table(kind, sorted(ts_list), seed)
        streams.append(InMemoryEventStream(kind, venue, "BTCUSDT", table, batch_rows=batch_rows))
        for position, row in enumerate(table.to_pylist()):
            expected.append(((row["ts_recv"], KIND_RANK[kind], venue, position), row))
    expected.sort(key=lambda item: item[0])
    got = [row for *_, row in merged(KWayMerge(streams))]
    assert got == [row for _, row in expected]
