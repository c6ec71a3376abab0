"""Run ``hft`` as ``python -m hftcore.cli``."""

import sys

from hftcore.cli.main import main

sys.exit(main())
