"""Import venue market-data files (tardis.dev CSV, Binance public data) into a data catalog.

``import_file`` streams one file into a catalog directory in bounded memory, converting decimal
prices and sizes to exact ticks and lots (``ticks`` module, no float round trip) and reporting
every malformed row with its file, line and column. ``docs/data-tools.md`` describes the
formats, the instrument resolution and the ``hft data import`` command.
"""

from backtest.importers.pipeline import FORMAT_KINDS, FORMATS, ImportResult, file_kind, import_file

__all__ = ["FORMATS", "FORMAT_KINDS", "ImportResult", "file_kind", "import_file"]
