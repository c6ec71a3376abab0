"""Load a strategy class from a Python file given by path (``hft backtest strategies/x.py``)."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path

from hftcore.errors import ConfigError
from hftcore.strategy.strategy import Strategy


def load_strategy_class(path: str | Path) -> type[Strategy]:
    """Import the file at ``path`` and return the ``Strategy`` subclass it defines.

    A file defining several strategies names the one to run in a module-level ``STRATEGY``
    variable.

    Parameters
    ----------
    path : str or Path
        Path of the strategy file.

    Returns
    -------
    type[Strategy]

    Raises
    ------
    ConfigError
        If the file does not exist, does not import, or does not define exactly one strategy.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"{file}: strategy file not found")
    module_name = f"hft_strategy_{file.stem}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{file}: not an importable Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(module_name, None)
        raise ConfigError(f"{file}: import failed: {type(exc).__name__}: {exc}") from exc
    chosen = getattr(module, "STRATEGY", None)
    if chosen is not None:
        if not (inspect.isclass(chosen) and issubclass(chosen, Strategy)):
            raise ConfigError(f"{file}: STRATEGY: expected a Strategy subclass, got {chosen!r}")
        return chosen
    defined = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, Strategy)
        and obj is not Strategy
        and obj.__module__ == module_name
    ]
    if len(defined) != 1:
        names = ", ".join(sorted(c.__name__ for c in defined)) or "none"
        raise ConfigError(
            f"{file}: expected exactly one Strategy subclass (or a STRATEGY variable), "
            f"found {names}"
        )
    return defined[0]
