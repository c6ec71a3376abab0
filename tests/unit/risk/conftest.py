"""Fixtures of the risk tests: a harness node, and a private kill-switch file path."""

import pytest

from tests.unit.risk.harness import Harness


@pytest.fixture(autouse=True)
def private_kill_switch_file(tmp_path, monkeypatch):
    """Point the default kill-switch file at a temporary path, never the user's real one."""
    path = tmp_path / "default_kill_switch.json"
    monkeypatch.setenv("HFT_KILL_SWITCH_FILE", str(path))
    return path


@pytest.fixture
def harness():
    """Return a harness with the default risk config and no starting balances."""
    return Harness()
