"""The bundled sample in data/ is what its README's commands generate, byte for byte, and holds
the mispricings the arbitrage strategies trade (and some that fees erase)."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from hftcore.cli.main import main

from .replay import episode_peaks, triangle_cycle_bp, venue_cross_bp

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


@pytest.fixture(scope="module")
def bundled_cross_bp() -> np.ndarray:
    return venue_cross_bp(DATA_DIR)


def test_bundled_venues_cross_by_more_than_25_bp_a_handful_to_a_few_dozen_times(
    bundled_cross_bp,
):
    assert 5 <= len(episode_peaks(bundled_cross_bp, 25.0)) <= 40


def test_bundled_venues_stay_within_two_taker_fees_almost_all_the_time(bundled_cross_bp):
    assert np.mean(bundled_cross_bp > 20.0) < 0.01


def test_bundled_triangle_has_cycles_both_above_and_below_three_taker_fees():
    peaks = episode_peaks(triangle_cycle_bp(DATA_DIR / "triangle"), 10.0)
    assert sum(peak > 31.0 for peak in peaks) >= 3
    assert sum(peak < 30.0 for peak in peaks) >= 3
