"""Kill-switch sources: the state file, the unix socket and the Redis key."""

import os

import pytest

from hftcore.errors import DecodeError, HftError
from hftcore.risk.kill_switch import (
    FileKillSwitch,
    RedisKillSwitch,
    SocketKillSwitch,
    decode_command,
    default_path,
    encode_command,
    make_command,
)


def test_command_round_trips_through_json():
    command = make_command("kill", "drill", "test")
    assert decode_command(encode_command(command), "here") == command
    assert command.pid == os.getpid()


def test_command_without_a_reason_gets_one_naming_the_source():
    assert make_command("resume", None, "hft resume").reason == "hft resume: resume"


def test_unknown_action_is_refused():
    with pytest.raises(ValueError, match="expected 'kill', 'reduce' or 'resume', got 'stop'"):
        make_command("stop", None, "test")


def test_invalid_json_is_a_decode_error_naming_where():
    with pytest.raises(DecodeError, match=r"kill switch /run/x\.json"):
        decode_command(b'{"action": "explode"}', "/run/x.json")


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HFT_KILL_SWITCH_FILE", str(tmp_path / "k.json"))
    assert default_path() == tmp_path / "k.json"
    monkeypatch.delenv("HFT_KILL_SWITCH_FILE")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert default_path() == tmp_path / "hft" / "kill_switch.json"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert default_path() == tmp_path / f"hft-{os.getuid()}" / "kill_switch.json"


# -- FILE --------------------------------------------------------------------------------------


def test_file_poll_returns_a_command_once_per_change(tmp_path):
    switch = FileKillSwitch(tmp_path / "dir" / "kill.json")
    assert switch.poll() == []
    kill = make_command("kill", "drill", "test")
    switch.write(kill)
    assert switch.poll() == [kill]
    assert switch.poll() == []
    resume = make_command("resume", "over", "test")
    switch.write(resume)
    assert switch.poll() == [resume]


def test_file_write_leaves_no_temporary_file(tmp_path):
    FileKillSwitch(tmp_path / "kill.json").write(make_command("kill", None, "test"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kill.json"]


def test_unreadable_file_content_is_counted_not_raised(tmp_path):
    path = tmp_path / "kill.json"
    path.write_text("not json")
    switch = FileKillSwitch(path)
    assert switch.poll() == []
    assert switch.error_count == 1


def test_file_read_returns_the_current_command(tmp_path):
    switch = FileKillSwitch(tmp_path / "kill.json")
    assert switch.read() is None
    command = make_command("reduce", "flatten", "test")
    switch.write(command)
    assert switch.read() == command


def test_unwritable_file_is_an_error_naming_the_path(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(HftError, match=r"kill switch file .*blocker/kill\.json: cannot write"):
        FileKillSwitch(blocker / "kill.json").write(make_command("kill", None, "test"))


# -- SOCKET ------------------------------------------------------------------------------------


def test_socket_receives_every_command_sent(tmp_path):
    path = tmp_path / "risk.sock"
    switch = SocketKillSwitch(path)
    try:
        first = make_command("kill", "one", "test")
        second = make_command("resume", "two", "test")
        SocketKillSwitch.send(path, first)
        SocketKillSwitch.send(path, second)
        assert switch.poll() == [first, second]
        assert switch.poll() == []
    finally:
        switch.close()
    assert not path.exists()


def test_socket_skips_and_counts_a_bad_datagram(tmp_path):
    import socket

    path = tmp_path / "risk.sock"
    switch = SocketKillSwitch(path)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.sendto(b"garbage", str(path))
        command = make_command("kill", None, "test")
        SocketKillSwitch.send(path, command)
        assert switch.poll() == [command]
        assert switch.error_count == 1
    finally:
        switch.close()


def test_sending_without_a_listener_is_an_error(tmp_path):
    with pytest.raises(HftError, match="no engine listening"):
        SocketKillSwitch.send(tmp_path / "nobody.sock", make_command("kill", None, "test"))


def test_stale_socket_file_is_replaced(tmp_path):
    path = tmp_path / "risk.sock"
    SocketKillSwitch(path)  # never closed: left behind as a dead process would
    switch = SocketKillSwitch(path)
    try:
        command = make_command("kill", None, "test")
        SocketKillSwitch.send(path, command)
        assert switch.poll() == [command]
    finally:
        switch.close()


def test_socket_path_holding_a_regular_file_is_refused(tmp_path):
    path = tmp_path / "risk.sock"
    path.write_text("")
    with pytest.raises(HftError, match="exists and is not a socket"):
        SocketKillSwitch(path)


# -- REDIS -------------------------------------------------------------------------------------


class FakeRedis:
    """The two redis-py calls the source uses, over a dict."""

    def __init__(self):
        self.values = {}
        self.is_down = False

    def get(self, key):
        if self.is_down:
            raise ConnectionError("redis down")
        return self.values.get(key)

    def set(self, key, value):
        self.values[key] = value


def test_redis_key_is_polled_for_changes():
    client = FakeRedis()
    switch = RedisKillSwitch(client, "hft:kill")
    assert switch.poll() == []
    command = make_command("kill", "fleet", "test")
    switch.write(command)
    assert switch.poll() == [command]
    assert switch.poll() == []


def test_redis_errors_are_counted_not_raised():
    client = FakeRedis()
    client.is_down = True
    switch = RedisKillSwitch(client, "hft:kill")
    assert switch.poll() == []
    assert switch.error_count == 1
