"""Stream a venue CSV file as Arrow string columns, tracking file lines and malformed rows.

``CsvSource`` opens a plain, gzip or single-member zip CSV file (detected from its first bytes,
not its name), reads it block by block with pyarrow's streaming CSV reader (every column as
text, so the importers convert numbers exactly themselves) and keeps memory bounded by the block
size. It maps each data row back to its line in the file, so every malformed row is reported
with ``file:line`` and the column. Two policies: fail on the first malformed row (default), or
``skip_bad``: drop the row, count it and write it to a rejects CSV file.
"""

import csv
import io
import queue
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from hftcore.errors import DecodeError

BLOCK_SIZE_BYTES = 4 << 20
"""Bytes of CSV text parsed per block (one record batch); bounds the importer's memory."""

PREFETCH_BATCHES = 2
"""Batches parsed ahead of the one being converted (memory: this many blocks more)."""

PEEK_BYTES = 1 << 16
"""Bytes read to find the header line."""

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_MAX_VALUE_CHARS = 80


@dataclass(frozen=True, slots=True)
class BadRow:
    """One malformed input row."""

    line: int
    """1-based line of the row in the (decompressed) file."""
    column: str
    """Name of the offending column, or ``""`` when the row itself cannot be split."""
    reason: str
    """What is wrong, e.g. ``"finer than the unit 0.01"``."""
    value: str
    """The offending text (truncated), or the whole row for a row that cannot be split."""


@dataclass(frozen=True, slots=True)
class Issue:
    """A malformed value found while converting a batch, before it is mapped to a line."""

    row: int
    """Index of the row in its batch."""
    column: str
    """Name of the column."""
    reason: str
    """What is wrong with the value."""
    value: str
    """The offending text."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _truncate(text: str) -> str:
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 3] + "..."


class CsvSource:
    """Read a CSV file block by block as string columns.

    Parameters
    ----------
    path : Path
        The file: plain text, gzip, or a zip archive holding exactly one file.
    column_names : sequence of str or None
        Names to give the columns. None takes them from the header line, or names them
        ``column_0``, ``column_1``... when the file has none.
    has_header : bool or None
        Whether the first line is a header (skipped). None detects it: the first line is a
        header when its first field is not a number.
    skip_bad : bool
        Drop malformed rows and record them (``rejects``) instead of raising.
    block_size_bytes : int
        Bytes of text parsed per batch.

    Raises
    ------
    DecodeError
        If the file cannot be opened or a zip archive does not hold exactly one file.
    """

    def __init__(
        self,
        path: Path,
        *,
        column_names: Sequence[str] | None,
        has_header: bool | None,
        skip_bad: bool,
        block_size_bytes: int = BLOCK_SIZE_BYTES,
    ) -> None:
        self.path = Path(path)
        self.skip_bad = skip_bad
        self.block_size_bytes = block_size_bytes
        self.has_header = has_header
        self._raw = None
        self._archive = None
        try:
            self.total_bytes = self.path.stat().st_size
        except OSError as exc:
            raise DecodeError(f"{self.path}: cannot open: {exc}") from exc
        self.head_lines = self._peek_lines()
        first_fields = next(csv.reader(self.head_lines[:1]), [])
        if has_header is None:
            has_header = bool(first_fields) and not _is_number(first_fields[0])
        self.has_header = has_header
        if column_names is None:
            if has_header:
                column_names = first_fields
            else:
                column_names = [f"column_{index}" for index in range(len(first_fields))]
        self.column_names = list(column_names)
        """Names of the columns; an importer may rename them before calling ``batches``."""
        self.rejects: list[BadRow] = []
        self._parse_skipped_lines: list[int] = []
        self._parse_failures: list[BadRow] = []
        self._rows_before = 0

    # -- OPENING --

    def _compression(self) -> str:
        try:
            with open(self.path, "rb") as handle:
                magic = handle.read(4)
        except OSError as exc:
            raise DecodeError(f"{self.path}: cannot open: {exc}") from exc
        if magic.startswith(_GZIP_MAGIC):
            return "gzip"
        if magic.startswith(_ZIP_MAGIC):
            return "zip"
        return "plain"

    def _open_stream(self):
        compression = self._compression()
        if compression == "zip":
            archive = zipfile.ZipFile(self.path)
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) != 1:
                archive.close()
                raise DecodeError(
                    f"{self.path}: expected a zip archive holding one CSV file, found"
                    f" {len(members)} files"
                )
            self._archive = archive
            member = archive.open(members[0])
            self._raw = member
            self.total_bytes = members[0].file_size
            return pa.PythonFile(member, mode="r")
        raw = pa.OSFile(str(self.path), mode="r")
        self._raw = raw
        if compression == "gzip":
            return pa.CompressedInputStream(raw, "gzip")
        return raw

    def _peek_lines(self) -> list[str]:
        # The first two lines (header and first row, or two rows), for format detection.
        stream = self._open_stream()
        try:
            head = stream.read(PEEK_BYTES)
        except (OSError, pa.ArrowException) as exc:
            raise DecodeError(f"{self.path}: cannot read: {exc}") from exc
        finally:
            self.close()
        lines = head.decode("utf-8", errors="replace").split("\n")[:2]
        return [line.rstrip("\r") for line in lines if line]

    @property
    def rows_read(self) -> int:
        """Data rows returned by the CSV reader before the current batch.

        Returns
        -------
        int
            Rows of the batches already consumed.
        """
        return self._rows_before

    @property
    def unsplit_rows(self) -> int:
        """Rows the CSV reader could not split into the expected columns, so far.

        Returns
        -------
        int
            Count of such rows in the last (or current) pass over the file.
        """
        return len(self._parse_skipped_lines)

    @property
    def bytes_read(self) -> int:
        """Bytes of the file consumed so far (compressed bytes for gzip).

        Returns
        -------
        int
            Position in the file, for progress bars.
        """
        if self._raw is None:
            return self.total_bytes
        return self._raw.tell()

    def close(self) -> None:
        """Close the underlying file."""
        if self._raw is not None:
            self._raw.close()
            self._raw = None
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    # -- READING --

    def _on_invalid_row(self, row) -> str:
        # pyarrow calls this (serial reader: in file order) for a row it cannot split.
        missing = row.actual_columns < len(self.column_names)
        column = self.column_names[row.actual_columns] if missing else ""
        reason = f"expected {row.expected_columns} columns, got {row.actual_columns}"
        self._parse_skipped_lines.append(row.number)
        self._parse_failures.append(BadRow(row.number, column, reason, _truncate(row.text)))
        return "skip"

    def batches(self, include_columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Yield the file's rows as record batches of string columns.

        Parameters
        ----------
        include_columns : sequence of str or None
            Read only these columns (None reads all).

        Yields
        ------
        pyarrow.RecordBatch
            The next block of rows. Call ``settle`` once per batch, before asking for the next
            one, with the batch's malformed values (possibly none).

        Raises
        ------
        DecodeError
            If a row has the wrong number of columns (unless ``skip_bad``) or the file is not
            valid CSV.
        """
        stream = self._open_stream()
        read_options = pa_csv.ReadOptions(
            use_threads=False,
            block_size=self.block_size_bytes,
            column_names=self.column_names,
            skip_rows=1 if self.has_header else 0,
        )
        parse_options = pa_csv.ParseOptions(
            invalid_row_handler=self._on_invalid_row, ignore_empty_lines=False
        )
        convert_options = pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in self.column_names},
            include_columns=list(include_columns) if include_columns else None,
        )
        self._rows_before = 0
        self._parse_skipped_lines = []
        self._parse_failures = []
        try:
            reader = pa_csv.open_csv(
                stream,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            for batch in _prefetched(reader):
                yield batch
                self._rows_before += batch.num_rows
        except pa.ArrowInvalid as exc:
            raise DecodeError(f"{self.path}: not a valid CSV file: {exc}") from exc
        finally:
            self.close()
        if self._parse_failures:
            if not self.skip_bad:
                self._raise(min(self._parse_failures, key=lambda bad: bad.line))
            self.rejects.extend(self._parse_failures)
            self._parse_failures = []

    def _raise(self, bad: BadRow) -> None:
        column = f" column {bad.column!r}:" if bad.column else ""
        raise DecodeError(f"{self.path}:{bad.line}:{column} {bad.reason}: {bad.value!r}")

    # -- LINES AND MALFORMED ROWS --

    def line_of(self, row: int) -> int:
        """Return the file line of a data row.

        Parameters
        ----------
        row : int
            0-based index of the row among the rows the CSV reader returned.

        Returns
        -------
        int
            1-based line in the decompressed file.
        """
        line = row + (2 if self.has_header else 1)
        for skipped in sorted(self._parse_skipped_lines):
            if skipped <= line:
                line += 1
            else:
                break
        return line

    def settle(self, batch_rows: int, issues: list[Issue]) -> np.ndarray | None:
        """Raise on, or drop and record, the malformed rows of the current batch.

        Parameters
        ----------
        batch_rows : int
            Rows in the current batch.
        issues : list of Issue
            Malformed values found while converting it.

        Returns
        -------
        numpy.ndarray or None
            None when every row is good; otherwise (``skip_bad`` only) a boolean mask of the
            rows to keep.

        Raises
        ------
        DecodeError
            Unless ``skip_bad``, naming the file, line, column and value of the earliest
            malformed row up to the end of the batch (rows the CSV reader could not split
            included).
        """
        bad_rows = [
            BadRow(
                self.line_of(self._rows_before + issue.row),
                issue.column,
                issue.reason,
                _truncate(issue.value),
            )
            for issue in issues
        ]
        if not self.skip_bad:
            last_line = self.line_of(self._rows_before + batch_rows) - 1
            candidates = bad_rows + [bad for bad in self._parse_failures if bad.line <= last_line]
            if candidates:
                self._raise(min(candidates, key=lambda bad: bad.line))
            return None
        self.rejects.extend(self._parse_failures)
        self._parse_failures = []
        if not issues:
            return None
        keep = np.ones(batch_rows, dtype=bool)
        for issue, bad in sorted(zip(issues, bad_rows, strict=True), key=lambda pair: pair[1].line):
            if keep[issue.row]:
                keep[issue.row] = False
                self.rejects.append(bad)
        return keep


_END = object()


def _prefetched(reader: pa_csv.CSVStreamingReader) -> Iterator[pa.RecordBatch]:
    # Parse the next blocks on a helper thread (pyarrow releases the GIL) while the caller
    # converts and writes the current one; at most PREFETCH_BATCHES wait in the queue.
    batches: queue.Queue = queue.Queue(maxsize=PREFETCH_BATCHES)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.05)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for batch in reader:
                if not offer(batch):
                    return
            offer(_END)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            offer(exc)

    thread = threading.Thread(target=produce, name="hft-import-csv", daemon=True)
    thread.start()
    try:
        while True:
            item = batches.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def write_rejects(path: Path, source: Path, rejects: list[BadRow]) -> None:
    """Write rejected rows to a CSV file (``file,line,column,reason,value``).

    Parameters
    ----------
    path : Path
        Destination; parent directories are created.
    source : Path
        The input file the rows came from.
    rejects : list of BadRow
        The rows, written in line order.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "line", "column", "reason", "value"])
    for bad in sorted(rejects, key=lambda bad: bad.line):
        writer.writerow([str(source), bad.line, bad.column, bad.reason, bad.value])
    path.write_text(buffer.getvalue())
