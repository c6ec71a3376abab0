"""The ``hft`` command line: one module per subcommand, assembled by `hftcore.cli.main`."""
