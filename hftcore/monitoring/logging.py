"""Structured, redacted, off-thread logging for every hftcore process.

`setup_logging` puts one `logging.handlers.QueueHandler` on the root logger. A caller's
``log.info(...)`` only stamps the record and puts it on a bounded queue; a `QueueListener` on its
own thread interpolates the arguments, masks secrets and writes the line (plain text or JSON
lines) to stderr or a file. Arguments are therefore formatted later, on that thread: pass values
that will not change after the call (numbers, strings, ids), as the style guide asks anyway.

When the queue is full the record is dropped and counted (`dropped_record_count`); the next line
the listener writes is preceded by a WARNING that says how many were lost.

Every value given to `register_secret` (each `hftcore.config.Secret` registers itself) and the
values of the usual credential keys (``signature=...``, ``X-MBX-APIKEY: ...``, ``"apiKey": ...``,
``passphrase``, ``"sign": ...``, ``OK-ACCESS-SIGN``, ``secret``) are replaced by ``***`` in the
message, its arguments, the exception text and the stack text before anything is written.
"""

import atexit
import json
import logging
import queue
import re
import sys
import threading
import time
from collections.abc import Iterable
from logging.handlers import QueueHandler, QueueListener
from pathlib import Path

from hftcore.errors import ConfigError

MASK = "***"
"""What a redacted value is replaced with."""

QUEUE_CAPACITY_RECORDS = 100_000
"""Records the logging queue holds before new ones are dropped and counted."""

_CREDENTIAL_NAMES = (r"signature", r"api[_-]?key", r"passphrase", r"secret")
# A key naming a credential: one containing a name above (``api_secret``, ``X-MBX-APIKEY``), or
# ``sign`` as the last dash/underscore part (``sign``, ``OK-ACCESS-SIGN``, ``X-BAPI-SIGN``), then
# an optional closing quote, ``=`` or ``:``, then a quoted or bare value.
_CREDENTIAL_PATTERN = re.compile(
    r"(?P<key>(?<![\w-])(?:[\w-]*(?:" + "|".join(_CREDENTIAL_NAMES) + r")[\w-]*|(?:\w+[_-])*sign)"
    r"[\"']?\s*[=:]\s*)"
    r"(?:(?P<quote>[\"']).*?(?P=quote)|[^\s&\"',;})\]]+)",
    re.IGNORECASE,
)
_PLAIN_FORMAT = "%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s: %(message)s"
_PLAIN_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"

_secret_values: set[str] = set()
_secret_pattern: re.Pattern[str] | None = None
_secret_lock = threading.Lock()

_queue_handler: "_StampingQueueHandler | None" = None
_listener: "_CountingQueueListener | None" = None
_setup_lock = threading.Lock()
_atexit_registered = False
_root_level_before_setup = logging.WARNING


# -- REDACTION --


def register_secret(value: str) -> None:
    """Mask every later occurrence of ``value`` in log output.

    Parameters
    ----------
    value : str
        The secret text (API key, API secret, passphrase, signed token). It is kept in memory only
        to be searched for; it is never written anywhere.

    Raises
    ------
    TypeError
        If ``value`` is not a str.
    ConfigError
        If ``value`` is empty (an empty secret would mask everything).
    """
    global _secret_pattern
    if not isinstance(value, str):
        raise TypeError(f"register_secret: expected str, got {type(value).__name__}")
    if not value:
        raise ConfigError("register_secret: expected a non-empty str, got an empty str")
    with _secret_lock:
        if value in _secret_values:
            return
        _secret_values.add(value)
        # Longest first, so a secret that contains another is masked whole.
        ordered = sorted(_secret_values, key=len, reverse=True)
        _secret_pattern = re.compile("|".join(re.escape(secret) for secret in ordered))


def clear_secrets() -> None:
    """Forget every registered secret (after rotating keys, or between independent tests).

    Credential-looking values (``signature=...``, ``apiKey``...) are still masked by pattern.
    """
    global _secret_pattern
    with _secret_lock:
        _secret_values.clear()
        _secret_pattern = None


def redact(text: str) -> str:
    """Return ``text`` with registered secrets and credential-looking values masked.

    Parameters
    ----------
    text : str
        Any text about to be written (a formatted message, an exception, a stack).

    Returns
    -------
    str
        ``text`` with each secret replaced by ``***``; ``key=value`` pairs whose key names a
        credential keep the key and lose the value (``signature=***``).
    """
    pattern = _secret_pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    return _CREDENTIAL_PATTERN.sub(_mask_credential_value, text)


def _mask_credential_value(match: re.Match[str]) -> str:
    quote = match.group("quote")
    if quote is None:
        return match.group("key") + MASK
    return match.group("key") + quote + MASK + quote


_EXCEPTION_FORMATTER = logging.Formatter()


class RedactionFilter(logging.Filter):
    """Interpolate a record's message and mask secrets in it, its exception and its stack.

    After the filter, ``record.msg`` is the final redacted text and ``record.args`` is empty, so no
    formatter downstream can bring an unmasked argument back.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; always keep it.

        Parameters
        ----------
        record : logging.LogRecord
            The record about to be formatted.

        Returns
        -------
        bool
            Always True.
        """
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _EXCEPTION_FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# -- FORMATTING --


class JsonLinesFormatter(logging.Formatter):
    """Format a record as one JSON object per line.

    Keys: ``ts`` (UNIX time of the call, ns), ``level``, ``logger``, ``message``, and ``exc``
    (exception text) and ``stack`` only when the record has them.
    """

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line of JSON.

        Parameters
        ----------
        record : logging.LogRecord
            A record, normally already redacted by `RedactionFilter`.

        Returns
        -------
        str
            A JSON object without newlines.
        """
        line = {
            "ts": getattr(record, "ts_ns", None) or int(record.created * 1_000_000_000),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def _plain_formatter() -> logging.Formatter:
    formatter = logging.Formatter(_PLAIN_FORMAT, _PLAIN_DATE_FORMAT)
    formatter.converter = time.gmtime
    return formatter


# -- QUEUE --


class _StampingQueueHandler(QueueHandler):
    # Stamps the record with ns time and enqueues it untouched: interpolation and redaction happen
    # on the listener thread, not on the caller's.

    def __init__(self, records: "queue.Queue[logging.LogRecord | None]") -> None:
        super().__init__(records)
        self.dropped_count = 0
        self._drop_lock = threading.Lock()

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record.ts_ns = time.time_ns()
        return record

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            with self._drop_lock:
                self.dropped_count += 1


class _CountingQueueListener(QueueListener):
    # Reports records the handler dropped before writing the next one.

    def __init__(
        self,
        records: "queue.Queue[logging.LogRecord | None]",
        queue_handler: _StampingQueueHandler,
        *handlers: logging.Handler,
    ) -> None:
        super().__init__(records, *handlers, respect_handler_level=False)
        self._queue_handler = queue_handler
        self._reported_drop_count = 0

    def handle(self, record: logging.LogRecord) -> None:
        dropped_count = self._queue_handler.dropped_count
        if dropped_count != self._reported_drop_count:
            self._write_drop_warning(dropped_count - self._reported_drop_count)
            self._reported_drop_count = dropped_count
        super().handle(record)

    def enqueue_sentinel(self) -> None:
        # Blocks until the writer makes room: the base class would raise on a full queue.
        self.queue.put(self._sentinel)

    def stop(self) -> None:
        super().stop()
        missed_count = self._queue_handler.dropped_count - self._reported_drop_count
        if missed_count:
            self._write_drop_warning(missed_count)
            self._reported_drop_count += missed_count

    def _write_drop_warning(self, dropped_count: int) -> None:
        warning = logging.LogRecord(
            __name__,
            logging.WARNING,
            __file__,
            0,
            "log queue full: dropped %d records (capacity %d)",
            (dropped_count, QUEUE_CAPACITY_RECORDS),
            None,
        )
        super().handle(warning)


# -- LIFECYCLE --


def setup_logging(
    level: str | int = "INFO",
    json_lines: bool = False,
    path: str | Path | None = None,
    secrets: Iterable[str] = (),
) -> None:
    """Route all logging through one queue to a writer thread that redacts and writes.

    Calling it again replaces the previous set-up (after flushing it): the root logger never holds
    more than one hftcore queue handler. Logs still queued at interpreter exit are flushed.

    Parameters
    ----------
    level : str or int, default "INFO"
        Root logger level: a name (``"DEBUG"``, ``"INFO"``, ``"WARNING"``, ``"ERROR"``,
        ``"CRITICAL"``, any case) or a `logging` level number.
    json_lines : bool, default False
        Write one JSON object per line (`JsonLinesFormatter`) instead of plain text
        (``2026-01-02T03:04:05.678Z INFO hftcore.risk: message``).
    path : str or pathlib.Path, optional
        File to append to (parent directories are created); stderr when omitted.
    secrets : iterable of str, default ()
        Values to mask, passed to `register_secret`.

    Raises
    ------
    ConfigError
        If ``level`` is not a known level name or number, a secret is empty, or ``path`` cannot
        be opened for appending.
    """
    global _queue_handler, _listener, _atexit_registered, _root_level_before_setup
    level_number = _level_number(level)
    for secret in secrets:
        register_secret(secret)
    writer = _open_writer(path)
    writer.setFormatter(JsonLinesFormatter() if json_lines else _plain_formatter())
    writer.addFilter(RedactionFilter())
    with _setup_lock:
        _stop_locked()
        records: queue.Queue[logging.LogRecord | None] = queue.Queue(QUEUE_CAPACITY_RECORDS)
        _queue_handler = _StampingQueueHandler(records)
        _listener = _CountingQueueListener(records, _queue_handler, writer)
        root = logging.getLogger()
        _root_level_before_setup = root.level
        root.addHandler(_queue_handler)
        root.setLevel(level_number)
        _listener.start()
        if not _atexit_registered:
            atexit.register(shutdown_logging)
            _atexit_registered = True


def shutdown_logging() -> None:
    """Write every queued record, stop the writer thread and detach from the root logger.

    The root logger gets back the level it had before `setup_logging`.

    Safe to call more than once and before `setup_logging`.
    """
    with _setup_lock:
        _stop_locked()


def dropped_record_count() -> int:
    """Return how many records the current set-up dropped because its queue was full.

    Returns
    -------
    int
        Records dropped since the last `setup_logging`; 0 when logging is not set up.
    """
    handler = _queue_handler
    return handler.dropped_count if handler is not None else 0


def _stop_locked() -> None:
    global _queue_handler, _listener
    if _listener is None or _queue_handler is None:
        return
    root = logging.getLogger()
    root.removeHandler(_queue_handler)
    root.setLevel(_root_level_before_setup)
    _listener.stop()
    for handler in _listener.handlers:
        handler.close()
    _queue_handler = None
    _listener = None


def _open_writer(path: str | Path | None) -> logging.Handler:
    if path is None:
        return logging.StreamHandler(sys.stderr)
    file_path = Path(path)
    try:
        file_path.parent.mkdir(parents=True, exist_ok=True)
        return logging.FileHandler(file_path, mode="a", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"log file {file_path}: cannot open for appending ({exc.strerror})"
        ) from None


def _level_number(level: str | int) -> int:
    names = logging.getLevelNamesMapping()
    if isinstance(level, str) and level.upper() in names:
        return names[level.upper()]
    if isinstance(level, int) and not isinstance(level, bool) and level in names.values():
        return level
    raise ConfigError(
        f"logging level: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got {level!r}"
    )
