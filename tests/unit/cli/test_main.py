import logging
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

from hftcore import __version__
from hftcore.cli.main import COMMAND_MODULES, EXIT_ERROR, EXIT_INTERRUPTED, build_parser, main
from hftcore.errors import ConfigError

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]

UNBUILT_COMMANDS = [
    ("paper", ["paper", "strategies/as_maker.py", "--venue", "binance,okx"]),
    ("live", ["live", "strategies/as_maker.py", "--venue", "binance"]),
]


@pytest.fixture
def fake_command(monkeypatch: pytest.MonkeyPatch):
    """Return ``install(run)``: make a module providing command ``fail`` that calls ``run``."""

    def install(run) -> tuple[str, ...]:
        module = types.ModuleType("fake_hft_command")

        def register(subparsers):
            subparsers.add_parser("fail").set_defaults(run=run)

        module.register = register
        monkeypatch.setitem(sys.modules, module.__name__, module)
        return (module.__name__,)

    return install


def raise_config_error(args):
    raise ConfigError("risk.toml: risk.max_open_orders: expected int, got 'many'")


def test_version_prints_hft_and_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"hft {__version__}\n"


def test_version_is_0_1_0():
    assert __version__ == "0.1.0"


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    for command in ("backtest", "paper", "live", "report", "kill", "resume", "data"):
        assert f"    {command} " in help_text


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_every_listed_module_registers_one_command():
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command")
    assert len(subparsers.choices) == len(COMMAND_MODULES)


@pytest.mark.parametrize(
    ("command", "argv"), UNBUILT_COMMANDS, ids=[c for c, _ in UNBUILT_COMMANDS]
)
def test_unbuilt_command_exits_2_with_one_line_on_stderr(capsys, command, argv):
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.startswith(f"hft {command}: not yet available (")
    assert captured.err.count("\n") == 1


def test_hft_error_prints_one_line_and_exits_1(capsys, fake_command):
    status = main(["fail"], command_modules=fake_command(raise_config_error))
    assert status == EXIT_ERROR
    assert capsys.readouterr().err == (
        "hft fail: error: risk.toml: risk.max_open_orders: expected int, got 'many'\n"
    )


def test_hft_error_with_debug_prints_traceback_first(capsys, fake_command):
    status = main(["--debug", "fail"], command_modules=fake_command(raise_config_error))
    err = capsys.readouterr().err
    assert status == EXIT_ERROR
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith(
        "hft fail: error: risk.toml: risk.max_open_orders: expected int, got 'many'\n"
    )


def test_error_message_is_redacted(capsys, fake_command):
    def leaky_run(args):
        raise ConfigError("rejected request timestamp=1&signature=c0ffee")

    main(["fail"], command_modules=fake_command(leaky_run))
    assert capsys.readouterr().err == (
        "hft fail: error: rejected request timestamp=1&signature=***\n"
    )


def test_ctrl_c_exits_130(capsys, fake_command):
    def interrupted_run(args):
        raise KeyboardInterrupt

    status = main(["fail"], command_modules=fake_command(interrupted_run))
    assert status == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "hft fail: interrupted\n"


def test_unwritable_log_file_is_an_error_not_a_traceback(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    status = main(["--log-file", str(blocker / "hft.log"), "resume"])
    assert status == EXIT_ERROR
    assert capsys.readouterr().err.startswith(f"hft resume: error: log file {blocker / 'hft.log'}")


def test_log_file_receives_command_logs(tmp_path, fake_command):
    def logging_run(args):
        logging.getLogger("hftcore.cli.test").info("started command=%s", args.command)
        return 0

    log_path = tmp_path / "hft.log"
    assert (
        main(["--log-file", str(log_path), "fail"], command_modules=fake_command(logging_run)) == 0
    )
    assert log_path.read_text().rstrip().endswith("INFO hftcore.cli.test: started command=fail")


def test_pyproject_installs_hft_as_console_script():
    with (REPOSITORY_ROOT / "pyproject.toml").open("rb") as pyproject:
        scripts = tomllib.load(pyproject)["project"]["scripts"]
    module_name, function_name = scripts["hft"].split(":")
    assert getattr(sys.modules[module_name], function_name) is main


def test_python_m_hftcore_cli_runs_without_traceback():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hftcore.cli",
            "live",
            "strategies/as_maker.py",
            "--venue",
            "binance",
        ],
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "hft live: not yet available (live trading and the venue adapters are not built yet)\n"
    )
