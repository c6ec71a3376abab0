"""How SQL reaches ClickHouse: a server through clickhouse-connect (HTTP), or embedded chDB.

Both transports run the same statements and return query results as Arrow record batches;
``open_transport`` picks one from a ``--clickhouse-url``.
"""

import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

import pyarrow as pa

from backtest.catalog.schema import ROW_GROUP_ROWS
from hftcore.errors import ConfigError, DataUnavailableError

_ARROW_SETTINGS = {"output_format_arrow_string_as_string": 1}


def _ipc_chunks(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            yield sink.getvalue()
            sink.seek(0)
            sink.truncate()
    yield sink.getvalue()


class ClickHouseTransport(ABC):
    """How SQL reaches ClickHouse; subclasses bind one client library.

    Attributes
    ----------
    description : str
        Where the data lives, for messages (URL without password, or the chDB path).
    """

    description = "clickhouse"

    @abstractmethod
    def command(self, sql: str, parameters: dict | None = None) -> None:
        """Run a statement that returns nothing.

        Parameters
        ----------
        sql : str
            The statement, with ``{name:Type}`` parameters.
        parameters : dict, optional
            Parameter values.
        """

    @abstractmethod
    def query_batches(self, sql: str, parameters: dict | None = None) -> Iterator[pa.RecordBatch]:
        """Run a query and stream its result as Arrow record batches.

        Parameters
        ----------
        sql : str
            The query, with ``{name:Type}`` parameters.
        parameters : dict, optional
            Parameter values.

        Yields
        ------
        pyarrow.RecordBatch
            The result; drain it before running another query.
        """

    @abstractmethod
    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert Arrow batches into a table, streamed in Arrow IPC format.

        Parameters
        ----------
        table : str
            ``database.table``.
        schema : pyarrow.Schema
            Schema of the batches; its names are the table columns filled.
        batches : iterable of pyarrow.RecordBatch
            The rows.
        """

    @abstractmethod
    def close(self) -> None:
        """Release the connection or the embedded session."""

    def query_rows(self, sql: str, parameters: dict | None = None) -> list[dict]:
        """Run a query and return its (small) result as row dicts.

        Parameters
        ----------
        sql : str
            The query, with ``{name:Type}`` parameters.
        parameters : dict, optional
            Parameter values.

        Returns
        -------
        list of dict
            One dict per row, column name to Python value.
        """
        rows = []
        for batch in self.query_batches(sql, parameters):
            rows.extend(batch.to_pylist())
        return rows


class ChdbTransport(ClickHouseTransport):
    """Embedded ClickHouse (chDB) session, in memory or in a persistent directory.

    chDB runs one engine per process: every session shares its databases, and while one
    session is open no other path can be opened.

    Parameters
    ----------
    path : str or Path, optional
        Directory of a persistent chDB database; the process's in-memory engine when None.

    Raises
    ------
    DataUnavailableError
        If chDB cannot open ``path`` (e.g. another path is open in this process).
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        from chdb import session

        self.description = f"chdb:{path or '(memory)'}"
        try:
            self._session = session.Session(None if path is None else str(path))
        except RuntimeError as exc:
            raise DataUnavailableError(
                f"clickhouse_url: cannot open chDB at {path or ':memory:'}: {exc}"
                " (chDB serves one path per process)"
            ) from exc

    def command(self, sql: str, parameters: dict | None = None) -> None:
        """Run a statement that returns nothing (see ``ClickHouseTransport.command``)."""
        self._session.query(sql, "Null", params=parameters)

    def query_batches(self, sql: str, parameters: dict | None = None) -> Iterator[pa.RecordBatch]:
        """Stream a query's Arrow result (see ``ClickHouseTransport.query_batches``)."""
        result = self._session.send_query(sql, "Arrow", params=parameters)
        yield from result.record_batch(rows_per_batch=ROW_GROUP_ROWS)

    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert Arrow batches (see ``ClickHouseTransport.insert_batches``)."""
        columns = ", ".join(schema.names)
        inserter = self._session.send_insert(f"INSERT INTO {table} ({columns})", "ArrowStream")
        for chunk in _ipc_chunks(schema, batches):
            inserter.append(chunk)
        inserter.finish()

    def close(self) -> None:
        """Close the chDB session."""
        self._session.close()


class HttpTransport(ClickHouseTransport):
    """ClickHouse server reached with clickhouse-connect over HTTP(S).

    Parameters
    ----------
    url : str
        ``http://user:password@host:8123`` (``https://`` for TLS).

    Raises
    ------
    DataUnavailableError
        If the server cannot be reached.
    """

    def __init__(self, url: str) -> None:
        import clickhouse_connect
        from clickhouse_connect.driver.exceptions import ClickHouseError

        parts = urlsplit(url)
        self.description = f"{parts.scheme}://{parts.hostname}:{parts.port}"
        try:
            self._client = clickhouse_connect.get_client(dsn=url, settings=_ARROW_SETTINGS)
        except ClickHouseError as exc:
            # The URL may carry a password: keep it out of the message and the chain.
            reason = str(exc).replace(parts.password, "***") if parts.password else str(exc)
            raise DataUnavailableError(
                f"clickhouse_url: cannot connect to {self.description}: {reason}"
            ) from None

    def command(self, sql: str, parameters: dict | None = None) -> None:
        """Run a statement that returns nothing (see ``ClickHouseTransport.command``)."""
        self._client.command(sql, parameters=parameters)

    def query_batches(self, sql: str, parameters: dict | None = None) -> Iterator[pa.RecordBatch]:
        """Stream a query's Arrow result (see ``ClickHouseTransport.query_batches``)."""
        with self._client.query_arrow_stream(sql, parameters=parameters) as stream:
            yield from stream

    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert Arrow batches (see ``ClickHouseTransport.insert_batches``)."""
        self._client.raw_insert(
            table, schema.names, insert_block=_ipc_chunks(schema, batches), fmt="ArrowStream"
        )

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


def open_transport(url: str | None) -> ClickHouseTransport:
    """Open the transport a ``--clickhouse-url`` names.

    Parameters
    ----------
    url : str or None
        ``http(s)://...`` for a server; ``chdb:///path`` for a persistent chDB directory; None
        for chDB in memory.

    Returns
    -------
    ClickHouseTransport
        The open transport.

    Raises
    ------
    ConfigError
        If the URL scheme is not ``http``, ``https`` or ``chdb``.
    DataUnavailableError
        If a server cannot be reached or chDB cannot open the path.
    """
    if url is None:
        return ChdbTransport()
    scheme = urlsplit(url).scheme
    if scheme == "chdb":
        return ChdbTransport(urlsplit(url).path)
    if scheme in ("http", "https"):
        return HttpTransport(url)
    raise ConfigError(f"clickhouse_url: expected http://, https:// or chdb:// URL, got {url!r}")
