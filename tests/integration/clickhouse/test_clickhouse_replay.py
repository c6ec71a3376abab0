"""The replay through ClickHouse equals the replay of the Parquet catalog.

chDB (embedded ClickHouse) runs in every CI run; a ClickHouse server is tested when
``HFT_CLICKHOUSE_URL`` is set (for example ``http://default:@127.0.0.1:8123``).
"""

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from backtest.catalog.clickhouse_source import (
    ClickHouseSource,
    load_catalog_into_clickhouse,
    open_transport,
)
from backtest.catalog.reader import open_source
from backtest.replay import KWayMerge
from tests.unit.backtest.catalog.tables import DAY_NS

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]


def replay(streams) -> list[tuple]:
    merge = KWayMerge(streams)
    events = []
    for index, row in merge.iter_events():
        cursor = merge.cursors[index]
        events.append((int(cursor.kind), cursor.venue, cursor.symbol, row))
    return events


def test_chdb_replay_of_a_catalog_equals_the_parquet_replay(catalog_dir):
    filters = {"start": DAY_NS + 3600 * 10**9, "end": "2023-12-10T12:00:00"}
    expected = replay(open_source("parquet", catalog_dir).streams(**filters))
    source = open_source("clickhouse", catalog_dir)
    try:
        got = replay(source.streams(**filters, page_rows=1000))
    finally:
        source.close()
    assert len(expected) > 1000
    assert got == expected


def test_a_persistent_chdb_directory_serves_the_catalog_after_reopening(catalog_dir, tmp_path):
    # chDB allows one path per process, so the persistent database lives in a child process.
    script = textwrap.dedent(
        f"""
        from backtest.catalog.clickhouse_source import ClickHouseSource, open_transport
        from backtest.catalog.clickhouse_source import load_catalog_into_clickhouse

        url = "chdb://{tmp_path}/chdb"
        transport = open_transport(url)
        load_catalog_into_clickhouse(transport, "{catalog_dir}")
        transport.close()
        with ClickHouseSource.connect(url) as source:
            streams = source.streams()
            print(sum(batch.num_rows for s in streams for batch in s.batches()))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPOSITORY_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == str(2 * (3000 + 700 + 900))


@pytest.fixture
def server_database(clickhouse_url):
    transport = open_transport(clickhouse_url)
    database = f"hft_test_{uuid.uuid4().hex[:12]}"
    yield transport, database
    transport.command(f"DROP DATABASE IF EXISTS {database}")
    transport.close()


def test_server_replay_of_a_loaded_catalog_equals_the_parquet_replay(
    catalog_dir, clickhouse_url, server_database
):
    transport, database = server_database
    load_catalog_into_clickhouse(transport, catalog_dir, database)
    expected = replay(open_source("parquet", catalog_dir).streams())
    with ClickHouseSource.connect(clickhouse_url, database) as source:
        got = replay(source.streams(page_rows=1000))
    assert got == expected


def test_server_loading_is_idempotent(catalog_dir, server_database):
    transport, database = server_database
    load_catalog_into_clickhouse(transport, catalog_dir, database)
    assert load_catalog_into_clickhouse(transport, catalog_dir, database) == 0
