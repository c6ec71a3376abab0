"""Drive headless Chromium over the DevTools protocol on a pipe (no port, no extra package).

Chromium started with ``--remote-debugging-pipe`` reads DevTools commands from file descriptor 3
and writes replies and events to descriptor 4, each message JSON terminated by a NUL byte.
`HeadlessChromium` starts it with a fresh profile and the flags that keep it off the network,
opens one page, and records every event (console calls, exceptions, log entries, network
requests) so a test can assert on them.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("HFT_CHROMIUM", "/usr/bin/chromium"))
"""The browser binary: Debian's ``chromium`` unless ``HFT_CHROMIUM`` names another."""

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
"""Command-line flags: headless, no sandbox (root in CI), nothing that reaches the network."""

TIMEOUT_S = 30.0
"""Longest wait for one reply or event."""

_COMMAND_FD = 3
_EVENT_FD = 4


class HeadlessChromium:
    """A headless Chromium with one page, driven over the DevTools pipe.

    Use as a context manager; `events` holds every event received, in order.
    """

    def __init__(self, window_size: tuple[int, int] = (1280, 900)) -> None:
        self.window_size = window_size
        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self._buffer = b""
        self._session: str | None = None
        self._profile = Path(tempfile.mkdtemp(prefix="hft-chromium-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._command: int = -1
        self._replies: int = -1

    def __enter__(self) -> "HeadlessChromium":
        command_read, self._command = _high_pipe()
        self._replies, event_write = _high_pipe()

        def map_pipes() -> None:
            os.dup2(command_read, _COMMAND_FD)
            os.dup2(event_write, _EVENT_FD)

        width, height = self.window_size
        self._process = subprocess.Popen(
            [
                str(CHROMIUM),
                *FLAGS,
                f"--user-data-dir={self._profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            pass_fds=(_COMMAND_FD, _EVENT_FD),
            preexec_fn=map_pipes,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(command_read)
        os.close(event_write)
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.call(f"{domain}.enable")
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self._process is not None and self._process.poll() is None:
                self._session = None
                self.call("Browser.close")
                self._process.wait(timeout=TIMEOUT_S)
        finally:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
                self._process.wait()
            os.close(self._command)
            os.close(self._replies)
            shutil.rmtree(self._profile, ignore_errors=True)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one command (to the page once attached) and return its result.

        Events arriving before the reply are appended to `events`.
        """
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session is not None:
            message["sessionId"] = self._session
        os.write(self._command, json.dumps(message).encode() + b"\0")
        while True:
            received = self._receive()
            if received.get("id") == self._next_id:
                if "error" in received:
                    raise RuntimeError(f"{method}: {received['error']}")
                return received["result"]
            self.events.append(received)

    def open(self, url: str) -> None:
        """Navigate the page to ``url`` and wait for its ``load`` event."""
        self.call("Page.navigate", {"url": url})
        self.wait_for_event("Page.loadEventFired")

    def wait_for_event(self, method: str) -> dict[str, Any]:
        """Return the first recorded event named ``method``, reading more until it arrives."""
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._receive())

    def evaluate(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page and return its JSON value."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the whole page (beyond the window) to ``path``."""
        width, height = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        shot = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def events_named(self, *methods: str) -> list[dict[str, Any]]:
        """Return the recorded events whose method is one of ``methods``."""
        return [event for event in self.events if event.get("method") in methods]

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT_S
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(0.0, remaining))
            if not ready:
                raise TimeoutError(f"no DevTools message from {CHROMIUM} in {TIMEOUT_S} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise EOFError(f"{CHROMIUM} closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)


def _high_pipe() -> tuple[int, int]:
    # Move both ends above 10 so mapping them onto descriptors 3 and 4 cannot clobber one another.
    read_end, write_end = os.pipe()
    high = (
        fcntl.fcntl(read_end, fcntl.F_DUPFD_CLOEXEC, 10),
        fcntl.fcntl(write_end, fcntl.F_DUPFD_CLOEXEC, 10),
    )
    os.close(read_end)
    os.close(write_end)
    return high
