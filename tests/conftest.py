"""Fixtures every hftcore test shares: real captures, the loopback-only guard, hypothesis profiles.

- `shared_data`: the directory of real venue captures (``HFT_SHARED_DATA``, default
  ``<repo>/../shared/data``); tests using it skip, naming the path, where it is missing.
- `network_guard` (autouse): a socket ``connect``/``connect_ex`` to anything but 127.0.0.0/8,
  ``::1`` or an AF_UNIX path fails the test before the kernel sees it. asyncio's
  ``loop.sock_connect`` and ``create_connection`` call ``socket.connect`` and are covered; an
  event loop that connects in C (uvloop) is not.
- Hypothesis profiles ``dev`` (random, no deadline) and ``ci`` (derandomized, no deadline, no
  example database, ``too_slow`` not checked on the shared 2-core runner), chosen by
  ``HYPOTHESIS_PROFILE``; default ``ci`` when ``CI=true``, else ``dev``. Both print the blob that
  reproduces a failure.
- pytest's ``pytester`` plugin, for tests of these fixtures.
"""

import ipaddress
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]

# -- HYPOTHESIS --

# Both start from hypothesis' defaults: under CI=true hypothesis itself loads its own "ci" profile
# first, which "dev" must not inherit from.
_HYPOTHESIS_DEFAULTS = settings.get_profile("default")
settings.register_profile("dev", _HYPOTHESIS_DEFAULTS, deadline=None, print_blob=True)
settings.register_profile(
    "ci",
    _HYPOTHESIS_DEFAULTS,
    derandomize=True,
    deadline=None,
    print_blob=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


# -- SHARED DATA --


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Return the directory of real venue captures (see its README.md).

    Returns
    -------
    pathlib.Path
        ``$HFT_SHARED_DATA``, or ``<repo>/../shared/data`` when unset.
    """
    configured = os.environ.get("HFT_SHARED_DATA")
    path = Path(configured) if configured else REPOSITORY_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"shared venue captures not found at {path} (set HFT_SHARED_DATA)")
    return path


# -- NETWORK GUARD --


class NetworkGuard:
    """Refuse socket connections that could leave the machine and remember each refusal.

    A refused ``connect`` raises ``pytest.fail.Exception`` (a ``BaseException``, so code that
    catches ``Exception`` or ``OSError`` cannot swallow it); a refusal swallowed anyway still fails
    the test at teardown.
    """

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def check(self, sock: socket.socket, address: object) -> None:
        """Fail unless ``address`` is loopback or a Unix socket path.

        Parameters
        ----------
        sock : socket.socket
            The socket about to connect.
        address : object
            The address given to ``connect``.
        """
        if sock.family == socket.AF_UNIX:
            return
        if sock.family in (socket.AF_INET, socket.AF_INET6) and _is_loopback(address):
            return
        self.blocked.append(repr(address))
        pytest.fail(
            f"test tried to connect to {address!r}: tests may only connect to 127.0.0.0/8, ::1 "
            "or a Unix socket (bind servers to 127.0.0.1 port 0)",
            pytrace=True,
        )

    def take_blocked(self) -> list[str]:
        """Return the refused addresses and forget them (for tests of the guard itself).

        Returns
        -------
        list of str
            ``repr`` of each refused address, in order.
        """
        blocked, self.blocked = self.blocked, []
        return blocked


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address or not isinstance(address[0], str):
        return False
    host = address[0].split("%", 1)[0]
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Allow only loopback and Unix-socket connections during each test.

    Yields
    ------
    NetworkGuard
        The guard; its ``blocked`` list names each refused address.
    """
    guard = NetworkGuard()
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def guarded_connect(sock: socket.socket, address: object) -> None:
        guard.check(sock, address)
        original_connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: object) -> int:
        guard.check(sock, address)
        return original_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    yield guard
    if guard.blocked:
        pytest.fail(f"test tried to connect outside loopback: {', '.join(guard.blocked)}")


@pytest.fixture(autouse=True)
def forget_registered_secrets() -> Iterator[None]:
    """Forget the secrets a test registered for log redaction (a ``Secret`` registers itself).

    Without it a test's one-letter ``Secret("k")`` would mask every "k" in later tests' logs.
    """
    yield
    # Only a test that imported the logging module can have registered a secret.
    logging_module = sys.modules.get("hftcore.monitoring.logging")
    if logging_module is not None:
        logging_module.clear_secrets()
