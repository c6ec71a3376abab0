import argparse

import pytest

from hftcore.cli.arguments import comma_separated, utc_time_ns


def test_comma_separated_splits_and_strips_items():
    assert comma_separated("binance, okx") == ("binance", "okx")


@pytest.mark.parametrize("text", ["", "binance,", "binance,,okx", " , "])
def test_comma_separated_rejects_empty_items(text):
    with pytest.raises(argparse.ArgumentTypeError, match="expected comma-separated names"):
        comma_separated(text)


def test_utc_time_ns_reads_a_date_as_utc_midnight():
    assert utc_time_ns("2024-08-08") == 1_723_075_200_000_000_000


def test_utc_time_ns_keeps_microseconds_exactly():
    assert utc_time_ns("2024-08-08T00:00:00.000001Z") == 1_723_075_200_000_001_000


def test_utc_time_ns_applies_an_explicit_offset():
    assert utc_time_ns("2024-08-08T02:00:00+02:00") == 1_723_075_200_000_000_000


def test_utc_time_ns_rejects_text_that_is_not_a_time():
    with pytest.raises(argparse.ArgumentTypeError, match="got 'yesterday'"):
        utc_time_ns("yesterday")
