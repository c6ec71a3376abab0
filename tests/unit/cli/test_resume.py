from hftcore.cli.main import build_parser


def test_resume_parses_a_reason():
    args = build_parser().parse_args(["resume", "--reason", "venue back"])
    assert (args.command, args.reason) == ("resume", "venue back")
