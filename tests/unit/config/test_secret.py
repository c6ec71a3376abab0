import copy
import logging
import pickle

import pytest

from hftcore.config import Secret, resolve_secret
from hftcore.config.secret import REPOSITORY_ROOT
from hftcore.errors import ConfigError
from hftcore.monitoring.logging import redact

VALUE = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"


def test_repr_str_and_format_hide_the_value():
    secret = Secret(VALUE)
    assert repr(secret) == str(secret) == f"{secret}" == "Secret('***')"


def test_reveal_returns_the_value():
    assert Secret(VALUE).reveal() == VALUE


def test_secrets_with_equal_values_are_equal():
    assert Secret(VALUE) == Secret(VALUE)
    assert Secret(VALUE) != Secret(VALUE + "x")


def test_secret_never_equals_its_plain_value():
    assert Secret(VALUE) != VALUE


def test_secret_is_not_hashable():
    with pytest.raises(TypeError):
        hash(Secret(VALUE))


def test_secret_cannot_be_pickled():
    with pytest.raises(TypeError, match="Secret cannot be pickled"):
        pickle.dumps(Secret(VALUE))


def test_copying_a_secret_returns_the_same_secret():
    secret = Secret(VALUE)
    assert copy.copy(secret) is secret
    assert copy.deepcopy({"key": secret})["key"] is secret


def test_a_constructed_secret_is_masked_in_logs():
    Secret("constructed-s3cret")
    assert redact("echo constructed-s3cret") == "echo ***"


def test_secret_requires_a_str():
    with pytest.raises(TypeError, match="expected str, got bytes"):
        Secret(b"key")


def test_secret_refuses_an_empty_value():
    with pytest.raises(ConfigError, match="non-empty"):
        Secret("")


def test_resolve_secret_reads_an_environment_variable(monkeypatch):
    monkeypatch.setenv("HFT_TEST_API_KEY", VALUE)
    assert resolve_secret(env="HFT_TEST_API_KEY").reveal() == VALUE


def test_unset_environment_variable_is_named_in_the_error(monkeypatch):
    monkeypatch.delenv("HFT_TEST_ABSENT_KEY", raising=False)
    with pytest.raises(ConfigError) as error:
        resolve_secret(env="HFT_TEST_ABSENT_KEY")
    assert str(error.value) == (
        "environment variable HFT_TEST_ABSENT_KEY is not set or empty (expected a secret)"
    )


def test_blank_environment_variable_is_refused(monkeypatch):
    monkeypatch.setenv("HFT_TEST_API_KEY", "  ")
    with pytest.raises(ConfigError, match="HFT_TEST_API_KEY is not set or empty"):
        resolve_secret(env="HFT_TEST_API_KEY")


@pytest.mark.parametrize("sources", [{}, {"env": "A", "file": "/tmp/a"}])
def test_resolve_secret_needs_exactly_one_source(sources):
    with pytest.raises(ConfigError, match="exactly one of env= and file="):
        resolve_secret(**sources)


def test_resolve_secret_reads_a_file_without_its_trailing_newline(tmp_path):
    path = tmp_path / "okx_passphrase"
    path.write_text(VALUE + "\n")
    path.chmod(0o600)
    assert resolve_secret(file=path).reveal() == VALUE


def test_secret_file_inside_the_repository_is_refused():
    path = REPOSITORY_ROOT / "configs" / "binance.key"
    with pytest.raises(ConfigError, match="inside the repository"):
        resolve_secret(file=path)


def test_missing_secret_file_is_named_in_the_error(tmp_path):
    path = tmp_path / "absent.key"
    with pytest.raises(ConfigError) as error:
        resolve_secret(file=path)
    assert str(error.value) == f"secret file {path}: not found"


def test_empty_secret_file_is_refused(tmp_path):
    path = tmp_path / "empty.key"
    path.write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        resolve_secret(file=path)


def test_secret_file_readable_by_others_is_used_with_a_warning(tmp_path, caplog):
    path = tmp_path / "shared.key"
    path.write_text(VALUE)
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="hftcore.config.secret"):
        secret = resolve_secret(file=path)
    assert secret.reveal() == VALUE
    assert caplog.messages == [f"secret file readable by group or others path={path} mode=644"]


def test_secret_path_that_cannot_be_read_is_named_in_the_error(tmp_path):
    with pytest.raises(ConfigError) as error:
        resolve_secret(file=tmp_path)
    assert str(error.value) == f"secret file {tmp_path}: cannot read (Is a directory)"
