"""Read back what an import wrote, for the importer tests."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def read_kind(catalog: Path, kind: str) -> pa.Table:
    """Return every row of one kind in a catalog, files in path order.

    Parameters
    ----------
    catalog : Path
        Catalog directory.
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.

    Returns
    -------
    pyarrow.Table
        The rows (empty table when the kind has no file).
    """
    files = sorted((catalog / kind).rglob("*.parquet"))
    return pa.concat_tables(pq.read_table(path) for path in files)
