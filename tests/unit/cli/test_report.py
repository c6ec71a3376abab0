from pathlib import Path

from hftcore.cli.main import build_parser


def test_report_parses_the_run_directory():
    args = build_parser().parse_args(["report", "runs/2024-08-08-as_maker"])
    assert args.run_dir == Path("runs/2024-08-08-as_maker")
