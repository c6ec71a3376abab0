"""Fixtures of the ClickHouse integration tests: a sample catalog and the server URL."""

import os

import pytest

from tests.unit.backtest.catalog.tables import write_sample_catalog


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory):
    """A catalog with book, trades and quotes for BINANCE and OKX over two days."""
    root = tmp_path_factory.mktemp("clickhouse_catalog")
    write_sample_catalog(root)
    return root


@pytest.fixture(scope="module")
def clickhouse_url():
    """The ClickHouse server of ``HFT_CLICKHOUSE_URL``; the test skips when it is not set."""
    url = os.environ.get("HFT_CLICKHOUSE_URL")
    if not url:
        pytest.skip("HFT_CLICKHOUSE_URL is not set: no ClickHouse server to test against")
    return url
