"""Secrets: API keys, API secrets and passphrases that must never be written anywhere.

Configs name a secret, they never hold it (``api_key_env = "BINANCE_API_KEY"``); the component
that needs it calls `resolve_secret` at start and keeps the `Secret`. A `Secret` prints as
``Secret('***')``, refuses to be pickled, and registers its value with the log redaction filter,
so even a value that slips into a log line is masked.
"""

import hmac
import logging
import os
import stat
from pathlib import Path
from typing import NoReturn

from hftcore.errors import ConfigError
from hftcore.monitoring.logging import register_secret

log = logging.getLogger(__name__)

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
"""Directory holding the ``hftcore`` package; secret files must live outside it."""


class Secret:
    """A secret string that does not show itself.

    Parameters
    ----------
    value : str
        The secret text; registered with `hftcore.monitoring.logging.register_secret`.

    Raises
    ------
    TypeError
        If ``value`` is not a str.
    ConfigError
        If ``value`` is empty.

    Notes
    -----
    ``repr``, ``str`` and f-strings give ``Secret('***')``. Two secrets compare equal when their
    values do (compared in constant time); a secret never equals a plain string. Pickling raises
    ``TypeError``: resolve the secret again in the receiving process.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"Secret: expected str, got {type(value).__name__}")
        if not value:
            raise ConfigError("Secret: expected a non-empty str, got an empty str")
        register_secret(value)
        self._value = value

    def reveal(self) -> str:
        """Return the secret text, for the one call that needs it (signing, login).

        Returns
        -------
        str
            The value given at construction.
        """
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    __hash__ = None  # type: ignore[assignment]  # a hash would be a fingerprint of the value

    def __reduce__(self) -> NoReturn:
        raise TypeError("Secret cannot be pickled; resolve it again where it is needed")

    def __copy__(self) -> "Secret":
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> "Secret":
        return self


def resolve_secret(env: str | None = None, file: str | Path | None = None) -> Secret:
    """Read a secret from an environment variable or from a file outside the repository.

    Give exactly one of ``env`` and ``file``. A file's content is stripped of surrounding
    whitespace (a trailing newline is normal). A file readable by group or others is used, with a
    WARNING naming the file.

    Parameters
    ----------
    env : str, optional
        Name of the environment variable holding the secret (``"BINANCE_API_KEY"``).
    file : str or pathlib.Path, optional
        Path of a file holding only the secret; it must not lie inside `REPOSITORY_ROOT`.

    Returns
    -------
    Secret
        The secret, already registered for log redaction.

    Raises
    ------
    ConfigError
        If both or neither source is given, the variable is unset or empty, or the file is inside
        the repository, missing, unreadable or empty. The message names the variable or the file,
        never the value.
    """
    if (env is None) == (file is None):
        raise ConfigError("resolve_secret: give exactly one of env= and file=")
    if env is not None:
        value = os.environ.get(env, "").strip()
        if not value:
            raise ConfigError(f"environment variable {env} is not set or empty (expected a secret)")
        return Secret(value)
    return Secret(_read_secret_file(Path(file)))


def _read_secret_file(path: Path) -> str:
    resolved = path.expanduser().resolve()
    if resolved.is_relative_to(REPOSITORY_ROOT):
        raise ConfigError(
            f"secret file {path}: inside the repository {REPOSITORY_ROOT}; keep secrets outside it"
        )
    try:
        mode = resolved.stat().st_mode
        value = resolved.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        _raise_file_error(path, "not found")
    except UnicodeDecodeError:
        _raise_file_error(path, "not valid UTF-8")
    except OSError as exc:
        _raise_file_error(path, f"cannot read ({exc.strerror})")
    if not value:
        _raise_file_error(path, "empty (expected a secret)")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("secret file readable by group or others path=%s mode=%o", path, mode & 0o777)
    return value


def _raise_file_error(path: Path, problem: str) -> NoReturn:
    raise ConfigError(f"secret file {path}: {problem}") from None
