"""The bundled sample in data/ is what its README's commands generate, byte for byte."""

import hashlib
from pathlib import Path

import pytest

from hftcore.cli.main import main

DATA_DIR = Path(__file__).resolve().parents[4] / "data"


def sums(path: Path) -> dict[str, str]:
    listed = {}
    for line in path.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.removeprefix("./")] = digest
    return listed


def test_bundled_files_match_their_checksums():
    listed = sums(DATA_DIR / "SHA256SUMS")
    actual = {name: hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() for name in listed}
    assert actual == listed


def test_bundled_sample_stays_under_eight_megabytes():
    size = sum(path.stat().st_size for path in DATA_DIR.rglob("*") if path.is_file())
    assert size < 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("subdir", "argv"),
    [
        ("", ["--minutes", "30", "--seed", "1", "--depth", "100", "--no-quotes"]),
        (
            "triangle",
            [
                "--profile",
                "triangle",
                "--minutes",
                "5",
                "--seed",
                "1",
                "--depth",
                "50",
                "--no-quotes",
            ],
        ),
    ],
)
def test_readme_command_regenerates_the_sample_byte_for_byte(tmp_path, subdir, argv):
    out = tmp_path / "data"
    status = main(
        ["data", "synth", "--out", str(out), *argv, "--no-progress"],
        command_modules=("hftcore.cli.data",),
    )
    assert status == 0
    prefix = f"{subdir}/" if subdir else ""
    expected = {
        name.removeprefix(prefix): digest
        for name, digest in sums(DATA_DIR / "SHA256SUMS").items()
        if name.startswith(prefix) and (subdir or not name.startswith("triangle/"))
    }
    regenerated = {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in expected}
    assert regenerated == expected
