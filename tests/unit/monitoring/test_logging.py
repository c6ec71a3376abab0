import json
import logging
import threading
import time

import pytest

from hftcore.errors import ConfigError
from hftcore.monitoring import logging as hft_logging
from hftcore.monitoring.logging import (
    clear_secrets,
    dropped_record_count,
    redact,
    register_secret,
    setup_logging,
    shutdown_logging,
)

log = logging.getLogger("hftcore.test")


@pytest.fixture
def log_path(tmp_path):
    """A log file path; logging is shut down after the test."""
    yield tmp_path / "hft.log"
    shutdown_logging()


class ThreadProbe:
    """A log argument that notes each thread formatting it and can hold other threads.

    pytest's own log capture also formats records, on the calling thread: that thread is noted
    but never held.
    """

    def __init__(self, release: threading.Event | None = None) -> None:
        self.caller_thread_id = threading.get_ident()
        self.other_thread_ids: set[int] = set()
        self.formatting_started = threading.Event()
        self.release = release

    def __str__(self) -> str:
        if threading.get_ident() != self.caller_thread_id:
            self.other_thread_ids.add(threading.get_ident())
            self.formatting_started.set()
            if self.release is not None:
                self.release.wait(timeout=10)
        return "probe"


def read_lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_registered_secret_in_args_never_reaches_the_file(log_path):
    setup_logging(path=log_path, secrets=["k3y-0f-the-test"])
    log.warning("login api_token=%s venue=%s", "k3y-0f-the-test", "okx")
    shutdown_logging()
    text = log_path.read_text()
    assert "k3y-0f-the-test" not in text
    assert "login api_token=*** venue=okx" in text


def test_secret_registered_after_setup_is_masked_in_the_message(log_path):
    setup_logging(path=log_path)
    register_secret("late-s3cret-value")
    log.error("echoed late-s3cret-value by the venue")
    shutdown_logging()
    assert read_lines(log_path)[0].endswith("echoed *** by the venue")


def test_secret_in_exception_text_is_masked(log_path):
    register_secret("exc-s3cret-value")
    setup_logging(path=log_path, json_lines=True)
    try:
        raise RuntimeError("venue said exc-s3cret-value")
    except RuntimeError:
        log.exception("login failed")
    shutdown_logging()
    line = json.loads(read_lines(log_path)[0])
    assert "exc-s3cret-value" not in log_path.read_text()
    assert line["exc"].endswith("RuntimeError: venue said ***")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "GET /api/v3/order?symbol=BTCUSDT&signature=9c1f2e",
            "GET /api/v3/order?symbol=BTCUSDT&signature=***",
        ),
        ("headers={'X-MBX-APIKEY': 'vmPUZE6mv9SD5V'}", "headers={'X-MBX-APIKEY': '***'}"),
        ('{"apiKey":"985d5b66","sign":"Zm9v+/=="}', '{"apiKey":"***","sign":"***"}'),
        ('{"passphrase": "two words"}', '{"passphrase": "***"}'),
        ("OK-ACCESS-SIGN: Zm9vYmFy", "OK-ACCESS-SIGN: ***"),
        ("api_secret=hunter2 next", "api_secret=*** next"),
        ("secret: abc", "secret: ***"),
    ],
)
def test_credential_values_are_masked_and_keys_kept(text, expected):
    assert redact(text) == expected


def test_words_that_only_contain_sign_are_not_masked():
    assert redact("design=a consign: b") == "design=a consign: b"


def test_register_secret_rejects_an_empty_value():
    with pytest.raises(ConfigError, match="got an empty str"):
        register_secret("")


def test_register_secret_rejects_a_value_that_is_not_str():
    with pytest.raises(TypeError, match="expected str, got bytes"):
        register_secret(b"key")


def test_json_lines_parse_with_ns_time_level_logger_and_message(log_path):
    before_ns = time.time_ns()
    setup_logging(path=log_path, json_lines=True)
    log.info("resync venue=%s symbol=%s", "binance", "BTCUSDT")
    log.warning("reconnect venue=%s", "okx")
    shutdown_logging()
    lines = [json.loads(line) for line in read_lines(log_path)]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("INFO", "hftcore.test", "resync venue=binance symbol=BTCUSDT"),
        ("WARNING", "hftcore.test", "reconnect venue=okx"),
    ]
    assert before_ns <= lines[0]["ts"] <= lines[1]["ts"] <= time.time_ns()


def test_plain_lines_show_utc_time_level_logger_and_message(log_path):
    setup_logging(path=log_path)
    log.info("started")
    shutdown_logging()
    stamp, level, logger, message = read_lines(log_path)[0].split(" ", 3)
    assert (stamp[10], stamp[-1], level, logger, message) == (
        "T",
        "Z",
        "INFO",
        "hftcore.test:",
        "started",
    )


def test_records_below_the_level_are_not_written(log_path):
    setup_logging(level="warning", path=log_path)
    log.info("chatter")
    log.warning("kept")
    shutdown_logging()
    assert len(read_lines(log_path)) == 1


def test_unknown_level_is_a_config_error():
    with pytest.raises(ConfigError, match="got 'LOUD'"):
        setup_logging(level="LOUD")


def test_listener_formats_and_writes_on_another_thread(log_path):
    probe = ThreadProbe()
    setup_logging(path=log_path)
    log.info("value=%s", probe)
    shutdown_logging()
    assert len(probe.other_thread_ids) == 1
    assert read_lines(log_path)[0].endswith("value=probe")


def test_logging_call_returns_while_the_writer_is_busy(log_path):
    release = threading.Event()
    probe = ThreadProbe(release)
    setup_logging(path=log_path)
    log.info("value=%s", probe)
    assert probe.formatting_started.wait(timeout=10)
    log.info("second")  # returns although the writer is still held inside the first record
    release.set()
    shutdown_logging()
    assert [line.rsplit(" ", 1)[1] for line in read_lines(log_path)] == ["value=probe", "second"]


def test_shutdown_writes_every_queued_record(log_path):
    setup_logging(path=log_path)
    for index in range(2_000):
        log.info("n=%d", index)
    shutdown_logging()
    assert len(read_lines(log_path)) == 2_000


def test_full_queue_drops_and_counts_records_then_reports_them(log_path, monkeypatch):
    monkeypatch.setattr(hft_logging, "QUEUE_CAPACITY_RECORDS", 2)
    release = threading.Event()
    probe = ThreadProbe(release)
    setup_logging(path=log_path)
    log.info("value=%s", probe)
    assert probe.formatting_started.wait(timeout=10)
    for index in range(5):
        log.info("n=%d", index)
    assert dropped_record_count() == 3
    release.set()
    shutdown_logging()
    messages = [line.split(" ", 3)[3] for line in read_lines(log_path)]
    assert messages == [
        "value=probe",
        "log queue full: dropped 3 records (capacity 2)",
        "n=0",
        "n=1",
    ]


def test_setup_twice_keeps_one_queue_handler_on_root(log_path):
    setup_logging(path=log_path)
    setup_logging(path=log_path, json_lines=True)
    queue_handlers = [
        h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.QueueHandler)
    ]
    assert len(queue_handlers) == 1


def test_shutdown_restores_the_root_level(log_path):
    root = logging.getLogger()
    level_before = root.level
    setup_logging(level="DEBUG", path=log_path)
    shutdown_logging()
    assert root.level == level_before


def test_shutdown_before_setup_does_nothing():
    shutdown_logging()
    assert dropped_record_count() == 0


def test_clear_secrets_stops_masking_a_registered_value():
    register_secret("rotated-key-value")
    assert redact("x rotated-key-value y") == "x *** y"
    clear_secrets()
    assert redact("x rotated-key-value y") == "x rotated-key-value y"
