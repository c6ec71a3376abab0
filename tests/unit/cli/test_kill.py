from hftcore.cli.main import build_parser


def test_kill_parses_a_reason():
    args = build_parser().parse_args(["kill", "--reason", "venue outage"])
    assert (args.command, args.reason) == ("kill", "venue outage")


def test_kill_needs_no_reason():
    assert build_parser().parse_args(["kill"]).reason is None
