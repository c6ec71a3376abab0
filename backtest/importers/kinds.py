"""The interface of an importable file kind (``tardis incremental_book_L2``, ``binance trades``).

A ``FileKind`` knows how to open its files (header, column names) and which columns hold
prices and sizes (for tick/lot inference). Its ``Converter`` turns each batch of text columns
into numpy columns (``parse``, collecting malformed values as issues), and the surviving rows
into catalog rows (``emit``), possibly holding rows back until the next batch shows where a venue
message ends (``finish`` flushes them).
"""

from abc import ABC, abstractmethod
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from backtest.importers.source import CsvSource, Issue
from hftcore.errors import DecodeError


class Converter(ABC):
    """Turn batches of one file into catalog rows; subclasses implement ``parse`` and ``emit``.

    Parameters
    ----------
    source : CsvSource
        The open file.
    tick_size, lot_size : Decimal
        Units of the instrument.
    symbol : str
        Venue symbol the rows must belong to (where the file names it).
    """

    include_columns: tuple[str, ...] | None = None
    """Columns to read, or None for all."""

    def __init__(self, source: CsvSource, tick_size: Decimal, lot_size: Decimal, symbol: str):
        self.source = source
        self.tick_size = tick_size
        self.lot_size = lot_size
        self.symbol = symbol
        self.last_ts_recv_ns = -1

    @abstractmethod
    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """Convert a batch of text columns to numpy columns.

        Parameters
        ----------
        batch : pyarrow.RecordBatch
            String columns from the file.
        issues : list of Issue
            Receives the malformed values.
        first_only : bool
            Stop each column at its first malformed value.

        Returns
        -------
        dict of str to numpy.ndarray
            Columns of equal length (one entry per input row).
        """

    @abstractmethod
    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """Turn parsed good rows into catalog rows.

        Parameters
        ----------
        rows : dict of str to numpy.ndarray
            Output of ``parse`` without the rejected rows.

        Returns
        -------
        pyarrow.RecordBatch or None
            Rows ready to write, or None when everything is held back.
        """

    def finish(self) -> pa.RecordBatch | None:
        """Return rows held back at the end of the file.

        Returns
        -------
        pyarrow.RecordBatch or None
            The last rows, or None.
        """
        return None


class FileKind(ABC):
    """One importable kind of file of one format."""

    format_name = ""
    """Name of the format, e.g. ``"tardis"``."""
    name = ""
    """Name of the kind within its format, e.g. ``"incremental_book_L2"``."""
    catalog_kind = ""
    """Catalog kind written: ``"book"``, ``"trades"`` or ``"quotes"``."""
    has_header: bool | None = True
    """Whether files start with a header line (None: detect)."""
    required_columns: tuple[str, ...] = ()
    """Columns every file of this kind must have."""

    def open(self, path: Path, *, skip_bad: bool, block_size_bytes: int) -> CsvSource:
        """Open a file of this kind.

        Parameters
        ----------
        path : Path
            The file.
        skip_bad : bool
            Reject malformed rows instead of failing.
        block_size_bytes : int
            Bytes of text per batch.

        Returns
        -------
        CsvSource
            The open source, with its column names set.

        Raises
        ------
        DecodeError
            If the file lacks a required column.
        """
        source = CsvSource(
            path,
            column_names=None,
            has_header=self.has_header,
            skip_bad=skip_bad,
            block_size_bytes=block_size_bytes,
        )
        self.check_columns(source)
        return source

    def check_columns(self, source: CsvSource) -> None:
        """Raise unless the file has every required column.

        Parameters
        ----------
        source : CsvSource
            The open file.

        Raises
        ------
        DecodeError
            Naming the file and the missing columns.
        """
        missing = [name for name in self.required_columns if name not in source.column_names]
        if missing:
            raise DecodeError(
                f"{source.path}:1: not a {self.format_name} {self.name} file: missing columns"
                f" {missing} (header: {source.column_names})"
            )

    def symbol_in(self, source: CsvSource) -> str | None:
        """Return the symbol the file names, if it does.

        Parameters
        ----------
        source : CsvSource
            The open file.

        Returns
        -------
        str or None
            The symbol of the first row, or None when the file does not say.
        """
        return None

    @abstractmethod
    def price_columns(self, source: CsvSource) -> list[str]:
        """Return the columns holding prices (for tick inference).

        Parameters
        ----------
        source : CsvSource
            The open file.

        Returns
        -------
        list of str
            Column names.
        """

    @abstractmethod
    def size_columns(self, source: CsvSource) -> list[str]:
        """Return the columns holding sizes (for lot inference).

        Parameters
        ----------
        source : CsvSource
            The open file.

        Returns
        -------
        list of str
            Column names.
        """

    @abstractmethod
    def converter(
        self, source: CsvSource, tick_size: Decimal, lot_size: Decimal, symbol: str
    ) -> Converter:
        """Return the converter of one file.

        Parameters
        ----------
        source : CsvSource
            The open file.
        tick_size, lot_size : Decimal
            Units of the instrument.
        symbol : str
            Venue symbol.

        Returns
        -------
        Converter
            A converter for this kind.
        """
