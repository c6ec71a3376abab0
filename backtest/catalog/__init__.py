"""Parquet data catalog: schemas, writer, streaming reader, ClickHouse source, info."""
