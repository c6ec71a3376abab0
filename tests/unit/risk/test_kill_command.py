"""``hft kill`` / ``hft resume`` from another process flip a running engine.

The engine runs on a live clock inside the test's asyncio loop, polling its kill switch on a
10 ms timer; the commands run as real subprocesses (``python -m hftcore.cli``).
"""

import asyncio
import sys
from pathlib import Path

import pytest

from hftcore.clock import LiveClock
from hftcore.model.enums import Environment, OrderStatus, Side, TradingState
from hftcore.node.node import TradingNode
from hftcore.risk.config import KillSwitchConfig, RiskConfig
from hftcore.risk.engine import RiskEngine
from hftcore.risk.events import TRADING_STATE_TOPIC
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.instruments import make_instrument
from tests.unit.risk.harness import SPOT, RecordingClient

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
TIMEOUT_S = 20


class LiveEngine:
    """A paper node on a live clock with a started risk engine; records its state changes."""

    def __init__(self, kill_switch: KillSwitchConfig) -> None:
        self.node = TradingNode(Environment.PAPER, clock=LiveClock())
        self.node.add_instrument(make_instrument())
        self.client = RecordingClient()
        self.node.add_execution_client(self.client)
        self.risk = RiskEngine(
            RiskConfig(instrument_rules=None, price_band=None, kill_switch=kill_switch)
        )
        self.risk.register(self.node)
        self.node.set_risk_engine(self.risk)
        self.strategy = Strategy(StrategyConfig(strategy_id="S1"))
        self.node.add_strategy(self.strategy)
        self.changed = asyncio.Event()
        self.node.bus.subscribe(TRADING_STATE_TOPIC, lambda change: self.changed.set())
        self.risk.start()

    async def wait_for_change(self) -> None:
        await asyncio.wait_for(self.changed.wait(), TIMEOUT_S)
        self.changed.clear()


async def hft(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hftcore.cli",
        *args,
        cwd=REPOSITORY_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_hft_kill_through_the_file_halts_a_running_engine_and_resume_clears_it(tmp_path):
    path = tmp_path / "kill.json"
    engine = LiveEngine(KillSwitchConfig(file=str(path), poll_interval_ms=10))
    try:
        resting = engine.strategy.limit(SPOT, Side.BUY, 10, 10_000_000)
        out = await hft("kill", "--file", str(path), "--reason", "desk drill")
        assert f"written to {path}" in out
        await engine.wait_for_change()
        assert engine.risk.is_halted
        assert "desk drill" in engine.risk.state_reason
        assert engine.client.canceled == [resting]
        assert engine.strategy.limit(SPOT, Side.BUY, 10, 10_000_000).status == (OrderStatus.DENIED)
        await hft("resume", "--file", str(path))
        await engine.wait_for_change()
        assert engine.risk.trading_state == TradingState.ACTIVE
        assert engine.strategy.limit(SPOT, Side.BUY, 10, 10_000_000).status == (
            OrderStatus.SUBMITTED
        )
    finally:
        engine.risk.stop()


async def test_hft_kill_through_the_socket_halts_a_running_engine(tmp_path):
    socket_path = tmp_path / "risk.sock"
    engine = LiveEngine(KillSwitchConfig(file="", socket=str(socket_path), poll_interval_ms=10))
    try:
        out = await hft("kill", "--socket", str(socket_path), "--file", str(tmp_path / "k.json"))
        assert f"sent to {socket_path}" in out
        await engine.wait_for_change()
        assert engine.risk.is_halted
    finally:
        engine.risk.stop()


async def test_hft_kill_reducing_moves_the_engine_to_reducing(tmp_path):
    path = tmp_path / "kill.json"
    engine = LiveEngine(KillSwitchConfig(file=str(path), poll_interval_ms=10))
    try:
        await hft("kill", "--reducing", "--file", str(path))
        await engine.wait_for_change()
        assert engine.risk.trading_state == TradingState.REDUCING
    finally:
        engine.risk.stop()


async def test_hft_kill_reads_the_paths_from_the_config(tmp_path):
    path = tmp_path / "kill.json"
    config = tmp_path / "live.toml"
    config.write_text(f'[risk.kill_switch]\nfile = "{path}"\n')
    engine = LiveEngine(KillSwitchConfig(file=str(path), poll_interval_ms=10))
    try:
        await hft("kill", "--config", str(config))
        await engine.wait_for_change()
        assert engine.risk.is_halted
    finally:
        engine.risk.stop()


def test_hft_kill_to_a_socket_nobody_listens_on_fails_with_one_line(tmp_path, capsys):
    from hftcore.cli.main import EXIT_ERROR, main

    status = main(["kill", "--socket", str(tmp_path / "none.sock"), "--file", str(tmp_path / "k")])
    assert status == EXIT_ERROR
    assert "no engine listening" in capsys.readouterr().err


def test_hft_kill_with_the_file_turned_off_and_no_socket_is_an_error(tmp_path, capsys):
    from hftcore.cli.main import EXIT_ERROR, main

    config = tmp_path / "live.toml"
    config.write_text('[risk.kill_switch]\nfile = ""\n')
    assert main(["kill", "--config", str(config)]) == EXIT_ERROR
    assert "nowhere to send the command" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["kill", "resume"])
def test_default_path_is_used_without_options(command, private_kill_switch_file, capsys):
    from hftcore.cli.main import main

    assert main([command]) == 0
    assert private_kill_switch_file.exists()
    assert str(private_kill_switch_file) in capsys.readouterr().out
