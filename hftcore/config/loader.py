"""Load a TOML configuration file into a typed ``msgspec.Struct``.

Every component declares its config as a ``msgspec.Struct`` (``frozen=True, kw_only=True,
forbid_unknown_fields=True``, documented defaults); `load_config` reads the file with `tomllib`
and converts it with ``msgspec.convert``. Every failure is a `ConfigError` that names the file,
and the field or the line:

- ``config/live.toml: config file not found``
- ``config/live.toml: invalid TOML: Invalid value (at line 3, column 9)``
- ``config/live.toml: [risk] Expected `int`, got `str` - at `$.max_open_orders```
"""

import tomllib
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import msgspec

from hftcore.errors import ConfigError

T = TypeVar("T")


def load_config(path: str | Path, struct_type: type[T], section: str | None = None) -> T:
    """Read a TOML file and convert it (or one of its tables) to ``struct_type``.

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML file.
    struct_type : type
        Target type, normally a ``msgspec.Struct`` subclass; anything ``msgspec.convert``
        accepts.
    section : str, optional
        Dotted name of the table to convert (``"risk"``, ``"venues.binance"``); the whole file
        when omitted.

    Returns
    -------
    struct_type
        The converted, validated configuration.

    Raises
    ------
    ConfigError
        If the file is missing or unreadable, is not valid UTF-8 TOML (the message gives the
        line and column), lacks ``section``, or does not match ``struct_type`` (the message gives
        msgspec's ``$.field`` path, relative to ``section``).
    """
    raw = _read_toml(Path(path))
    table_label = ""
    if section is not None:
        raw = _select_section(raw, section, path)
        table_label = f"[{section}] "
    try:
        return msgspec.convert(raw, type=struct_type)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{path}: {table_label}{exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as toml_file:
            return tomllib.load(toml_file)
    except FileNotFoundError:
        _raise(path, "config file not found")
    except IsADirectoryError:
        _raise(path, "is a directory, expected a TOML file")
    except UnicodeDecodeError as exc:
        _raise(path, f"not valid UTF-8 (byte {exc.start})")
    except tomllib.TOMLDecodeError as exc:
        _raise(path, f"invalid TOML: {exc}")
    except OSError as exc:
        _raise(path, f"cannot read config file ({exc.strerror})")


def _select_section(raw: dict[str, Any], section: str, path: str | Path) -> dict[str, Any]:
    table: Any = raw
    for depth, key in enumerate(section.split(".")):
        if not isinstance(table, dict) or key not in table:
            missing = ".".join(section.split(".")[: depth + 1])
            raise ConfigError(f"{path}: missing table [{missing}]")
        table = table[key]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{section}] expected a table, got {type(table).__name__}")
    return table


def _raise(path: Path, problem: str) -> NoReturn:
    raise ConfigError(f"{path}: {problem}") from None
