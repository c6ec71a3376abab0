"""Fixtures of the catalog tests."""

import pytest

from tests.unit.backtest.catalog.tables import write_sample_catalog


@pytest.fixture(scope="session")
def sample_catalog(tmp_path_factory):
    """Return a catalog with book, trades and quotes for BINANCE and OKX over two days."""
    root = tmp_path_factory.mktemp("sample_catalog")
    write_sample_catalog(root)
    return root
