"""Server-time offset from round trips, and refusing to sign with an unknown or stale offset."""

import pytest

from hftcore.errors import ConfigError, TimeSyncError
from hftcore.execution.server_time import ServerTimeSync

MS_NS = 1_000_000
SECOND_NS = 1_000 * MS_NS
T0_NS = 1_700_000_000 * SECOND_NS


def synced(offset_ns=250 * MS_NS, rtt_ns=40 * MS_NS, **kwargs):
    sync = ServerTimeSync("BINANCE", **kwargs)
    sync.record(T0_NS, T0_NS + rtt_ns // 2 + offset_ns, T0_NS + rtt_ns)
    return sync


def test_offset_is_read_at_the_midpoint_of_the_round_trip():
    sync = ServerTimeSync("BINANCE")

    # Sent at T0, answered 40 ms later; the venue stamped T0 + 20 ms + 250 ms.
    assert sync.record(T0_NS, T0_NS + 270 * MS_NS, T0_NS + 40 * MS_NS) is True

    assert sync.offset_ns == 250 * MS_NS
    assert sync.rtt_ns == 40 * MS_NS
    assert sync.measured_at_ns == T0_NS + 40 * MS_NS


def test_timestamp_is_the_venue_time_in_milliseconds():
    sync = synced(offset_ns=-1_500 * MS_NS)

    assert sync.timestamp_ms(T0_NS + 2 * SECOND_NS) == (T0_NS + 500 * MS_NS) // MS_NS


def test_server_time_adds_the_offset():
    sync = synced(offset_ns=7)

    assert sync.server_time_ns(T0_NS + SECOND_NS) == T0_NS + SECOND_NS + 7


def test_signing_is_refused_before_any_measurement():
    sync = ServerTimeSync("BINANCE")

    with pytest.raises(TimeSyncError, match="BINANCE: server time offset unknown"):
        sync.timestamp_ms(T0_NS)
    assert sync.refused_count == 1


def test_signing_is_refused_when_the_offset_is_stale():
    sync = synced(max_age_ns=60 * SECOND_NS)

    with pytest.raises(TimeSyncError, match=r"stale: measured 61\.040 s ago, bound 60\.000 s"):
        sync.timestamp_ms(T0_NS + 61 * SECOND_NS + 80 * MS_NS)


def test_offset_at_the_age_bound_is_still_fresh():
    sync = synced(max_age_ns=60 * SECOND_NS)
    measured_at_ns = sync.measured_at_ns

    assert sync.is_fresh(measured_at_ns + 60 * SECOND_NS)
    assert not sync.is_fresh(measured_at_ns + 60 * SECOND_NS + 1)


def test_sample_with_a_long_round_trip_is_rejected():
    sync = synced(offset_ns=100 * MS_NS)

    # The default bound is half the 5000 ms receive window.
    assert sync.record(T0_NS, T0_NS + 9 * SECOND_NS, T0_NS + 2_600 * MS_NS) is False

    assert sync.offset_ns == 100 * MS_NS
    assert sync.rejected_sample_count == 1


def test_later_sample_replaces_the_offset():
    sync = synced(offset_ns=100 * MS_NS)

    sync.record(
        T0_NS + SECOND_NS,
        T0_NS + SECOND_NS + 10 * MS_NS + 300 * MS_NS,
        T0_NS + SECOND_NS + 20 * MS_NS,
    )

    assert sync.offset_ns == 300 * MS_NS
    assert sync.sample_count == 2


def test_answer_before_the_request_is_an_error():
    sync = ServerTimeSync("BINANCE")

    with pytest.raises(ValueError, match="before sent_ns"):
        sync.record(T0_NS, T0_NS, T0_NS - 1)


def test_nonces_strictly_increase_within_one_millisecond():
    sync = synced(offset_ns=0, rtt_ns=0)

    nonces = [sync.next_nonce_ms(T0_NS + 100) for _ in range(3)]

    assert nonces == [T0_NS // MS_NS, T0_NS // MS_NS + 1, T0_NS // MS_NS + 2]


def test_receive_window_out_of_range_is_an_error():
    with pytest.raises(ConfigError, match=r"recv_window_ms: expected 1\.\.60000, got 0"):
        ServerTimeSync("BINANCE", recv_window_ms=0)
