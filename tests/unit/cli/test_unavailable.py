from hftcore.cli.unavailable import EXIT_UNAVAILABLE, report_unavailable


def test_report_unavailable_prints_command_and_reason_on_stderr(capsys):
    status = report_unavailable("report", "run reports are not built yet")
    assert status == EXIT_UNAVAILABLE == 2
    assert (
        capsys.readouterr().err == "hft report: not yet available (run reports are not built yet)\n"
    )
