"""The kill switch outside the process: a state file, a unix socket, or a Redis key.

``hft kill`` / ``hft resume`` (or any tool) write a `KillSwitchCommand`; every running risk
engine polls its sources on a clock timer and every N orders, and applies what it finds:

* **file** (default): a small JSON file, replaced atomically. The engine checks it with one
  ``stat`` (mtime, size, inode) and reads it only when that changed. The file keeps its state: a
  process started while it says ``kill`` starts HALTED. Every process reading the same file
  flips together.
* **socket**: a unix datagram socket the engine binds (one per process); a sender gets an error
  when no engine listens. Polled without blocking.
* **Redis**: a key holding the same JSON, for fleets of machines. `RedisKillSwitch` takes any
  client with redis-py's ``get``/``set``; the engine uses it when given a client and
  ``kill_switch.redis_key`` is set (the caller makes the Redis connection).

The command is JSON: ``{"action": "kill", "reason": "...", "ts_ns": ..., "source": "hft kill",
"pid": ...}`` with ``action`` one of ``kill`` (HALTED: cancel everything, deny every order),
``reduce`` (REDUCING: only orders that reduce positions) or ``resume`` (back to the configured
initial state).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
import time
from pathlib import Path
from typing import Literal, Protocol

import msgspec

from hftcore.errors import DecodeError, HftError

log = logging.getLogger(__name__)

KILL = "kill"
"""Action: halt trading, cancel every open order."""
REDUCE = "reduce"
"""Action: only orders that reduce positions."""
RESUME = "resume"
"""Action: return to the configured initial state."""

DEFAULT_FILE_ENV = "HFT_KILL_SWITCH_FILE"
"""Environment variable overriding the default kill-switch file path."""

_MAX_DATAGRAM_BYTES = 4096


class KillSwitchCommand(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What ``hft kill`` / ``hft resume`` ask every running engine to do.

    Attributes
    ----------
    action : str
        ``"kill"``, ``"reduce"`` or ``"resume"``.
    reason : str
        Why; recorded in the engine's state change and logs.
    ts_ns : int
        When the command was written, UNIX ns.
    source : str
        Who wrote it, e.g. ``"hft kill"``.
    pid : int
        Process id of the writer.
    """

    action: Literal["kill", "reduce", "resume"]
    reason: str = ""
    ts_ns: int = 0
    source: str = ""
    pid: int = 0


def make_command(action: str, reason: str | None, source: str) -> KillSwitchCommand:
    """Build a command stamped with the wall clock and this process id.

    Parameters
    ----------
    action : str
        `KILL`, `REDUCE` or `RESUME`.
    reason : str or None
        Why; a default naming the action when None.
    source : str
        Who sends it, e.g. ``"hft kill"``.

    Returns
    -------
    KillSwitchCommand

    Raises
    ------
    ValueError
        If ``action`` is not one of the three.
    """
    if action not in (KILL, REDUCE, RESUME):
        raise ValueError(f"action: expected 'kill', 'reduce' or 'resume', got {action!r}")
    return KillSwitchCommand(
        action=action,
        reason=reason if reason else f"{source}: {action}",
        ts_ns=time.time_ns(),
        source=source,
        pid=os.getpid(),
    )


def encode_command(command: KillSwitchCommand) -> bytes:
    """Return the JSON bytes of ``command``.

    Parameters
    ----------
    command : KillSwitchCommand

    Returns
    -------
    bytes
    """
    return msgspec.json.encode(command)


def decode_command(data: bytes, where: str) -> KillSwitchCommand:
    """Decode a command written by `encode_command`.

    Parameters
    ----------
    data : bytes
        The JSON.
    where : str
        The file, socket or key it came from, for the error.

    Returns
    -------
    KillSwitchCommand

    Raises
    ------
    DecodeError
        If ``data`` is not a valid command; the message names ``where``.
    """
    try:
        return msgspec.json.decode(data, type=KillSwitchCommand)
    except msgspec.DecodeError as exc:
        raise DecodeError(f"kill switch {where}: {exc}; got {data[:200]!r}") from None


def default_path() -> Path:
    """Return the kill-switch file every process of this user shares by default.

    ``$HFT_KILL_SWITCH_FILE`` when set, else ``$XDG_RUNTIME_DIR/hft/kill_switch.json``, else
    ``<tmp>/hft-<uid>/kill_switch.json``.

    Returns
    -------
    Path
    """
    override = os.environ.get(DEFAULT_FILE_ENV)
    if override:
        return Path(override)
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if runtime_dir:
        return Path(runtime_dir) / "hft" / "kill_switch.json"
    tmp_dir = os.environ.get("TMPDIR", "/tmp")
    return Path(tmp_dir) / f"hft-{os.getuid()}" / "kill_switch.json"


class KillSwitchSource(Protocol):
    """Somewhere commands come from; polled by the risk engine on its thread."""

    name: str

    def poll(self) -> list[KillSwitchCommand]:
        """Return the commands that arrived since the last poll (oldest first)."""
        ...

    def close(self) -> None:
        """Release the source."""
        ...


class FileKillSwitch:
    """A JSON state file: written atomically by `write`, read by `poll` when it changed.

    Parameters
    ----------
    path : str or Path
        The file; its directory is created (mode 0700) by `write`.
    """

    name = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.error_count = 0
        self._signature: tuple[int, int, int] | None = None

    def poll(self) -> list[KillSwitchCommand]:
        """Return the file's command if the file changed since the last poll.

        Returns
        -------
        list[KillSwitchCommand]
            Zero or one command; an unreadable or invalid file is logged and counted.
        """
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            self._signature = None
            return []
        except OSError as exc:
            return self._failed(f"cannot stat: {exc.strerror}")
        signature = (info.st_mtime_ns, info.st_size, info.st_ino)
        if signature == self._signature:
            return []
        self._signature = signature
        try:
            data = self.path.read_bytes()
            return [decode_command(data, str(self.path))]
        except OSError as exc:
            return self._failed(f"cannot read: {exc.strerror}")
        except DecodeError as exc:
            return self._failed(str(exc))

    def read(self) -> KillSwitchCommand | None:
        """Return the command the file holds now (None when there is no file).

        Returns
        -------
        KillSwitchCommand or None

        Raises
        ------
        DecodeError
            If the file holds no valid command.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return decode_command(data, str(self.path))

    def write(self, command: KillSwitchCommand) -> None:
        """Replace the file with ``command`` atomically (write a sibling, then rename).

        Parameters
        ----------
        command : KillSwitchCommand

        Raises
        ------
        HftError
            If the directory or file cannot be written; the message names the path.
        """
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary.write_bytes(encode_command(command))
            os.replace(temporary, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise HftError(f"kill switch file {self.path}: cannot write: {exc.strerror}") from None

    def close(self) -> None:
        """Nothing to release: the file stays (it holds the state)."""

    def _failed(self, problem: str) -> list[KillSwitchCommand]:
        self.error_count += 1
        log.error("kill switch file unusable path=%s problem=%s", self.path, problem)
        return []

    def __repr__(self) -> str:
        return f"FileKillSwitch({str(self.path)!r})"


class SocketKillSwitch:
    """A unix datagram socket the engine binds and polls without blocking.

    Parameters
    ----------
    path : str or Path
        Socket path; a stale socket file left by a dead process is replaced.

    Raises
    ------
    HftError
        If the path exists and is not a socket, or cannot be bound.
    """

    name = "socket"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.error_count = 0
        try:
            if stat.S_ISSOCK(os.stat(self.path).st_mode):
                self.path.unlink()
            else:
                raise HftError(f"kill switch socket {self.path}: exists and is not a socket")
        except FileNotFoundError:
            pass
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._socket.bind(str(self.path))
        except OSError as exc:
            self._socket.close()
            raise HftError(f"kill switch socket {self.path}: cannot bind: {exc.strerror}") from None
        self._socket.setblocking(False)

    def poll(self) -> list[KillSwitchCommand]:
        """Return every command received since the last poll.

        Returns
        -------
        list[KillSwitchCommand]
            Invalid datagrams are logged, counted and skipped.
        """
        commands = []
        while True:
            try:
                data = self._socket.recv(_MAX_DATAGRAM_BYTES)
            except (BlockingIOError, InterruptedError):
                return commands
            except OSError as exc:
                self.error_count += 1
                log.error("kill switch socket error path=%s error=%s", self.path, exc.strerror)
                return commands
            try:
                commands.append(decode_command(data, str(self.path)))
            except DecodeError as exc:
                self.error_count += 1
                log.error("kill switch socket bad datagram path=%s problem=%s", self.path, exc)

    def close(self) -> None:
        """Close the socket and remove its file."""
        self._socket.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    @staticmethod
    def send(path: str | Path, command: KillSwitchCommand) -> None:
        """Send ``command`` to the engine listening on ``path``.

        Parameters
        ----------
        path : str or Path
            The engine's socket.
        command : KillSwitchCommand

        Raises
        ------
        HftError
            If no engine listens on ``path``.
        """
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            try:
                sender.sendto(encode_command(command), str(path))
            except (FileNotFoundError, ConnectionRefusedError) as exc:
                raise HftError(
                    f"kill switch socket {path}: no engine listening ({exc.strerror})"
                ) from None
            except OSError as exc:
                raise HftError(f"kill switch socket {path}: cannot send: {exc.strerror}") from None

    def __repr__(self) -> str:
        return f"SocketKillSwitch({str(self.path)!r})"


class RedisKillSwitch:
    """A Redis key holding a command; polled with one ``GET``.

    The client is any object with redis-py's ``get(key) -> bytes | None`` and
    ``set(key, value)``; hftcore does not open Redis connections here.

    Parameters
    ----------
    client : object
        A Redis client, e.g. ``redis.Redis.from_url(url)``.
    key : str
        The key, e.g. ``"hft:kill_switch"``.
    """

    name = "redis"

    def __init__(self, client: object, key: str) -> None:
        self.client = client
        self.key = key
        self.error_count = 0
        self._last: bytes | None = None

    def poll(self) -> list[KillSwitchCommand]:
        """Return the key's command if its value changed since the last poll.

        Returns
        -------
        list[KillSwitchCommand]
            Zero or one command; connection errors and bad values are logged and counted.
        """
        try:
            data = self.client.get(self.key)
        except Exception as exc:  # the client's own errors (connection lost...): count, go on
            self.error_count += 1
            log.error("kill switch redis get failed key=%s error=%s", self.key, type(exc).__name__)
            return []
        if data is None or data == self._last:
            self._last = data
            return []
        self._last = data
        try:
            return [decode_command(data, f"redis key {self.key}")]
        except DecodeError as exc:
            self.error_count += 1
            log.error("kill switch redis bad value key=%s problem=%s", self.key, exc)
            return []

    def write(self, command: KillSwitchCommand) -> None:
        """Set the key to ``command``.

        Parameters
        ----------
        command : KillSwitchCommand
        """
        self.client.set(self.key, encode_command(command))

    def close(self) -> None:
        """Nothing to release: the client belongs to its owner."""

    def __repr__(self) -> str:
        return f"RedisKillSwitch(key={self.key!r})"
