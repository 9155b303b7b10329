"""The border tables (BTS TransBorder, Census duties): loaded from data/, or copied from the
previous store when neither their files nor their loaders changed since it was built.

A rebuild caused by another file (a new month of partner trade, a claim) then redoes only what
changed. Any doubt about the previous store (missing, damaged, built from other inputs) means a
full load.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import duckdb

from facts import load_bts, load_duties

INPUTS = ("raw/bts-transborder", "raw/census-duties-by-country", "countries.csv")
TABLES = (*load_bts.TABLES, *load_duties.TABLES)
META_KEY = "border_inputs"  # meta row: the digest of INPUTS and of the loaders' code


def inputs_digest(data_dir: Path) -> str:
    """A digest of the border inputs and of the code that loads them."""
    digest = hashlib.sha256()
    for module in (load_bts, load_duties):
        digest.update(Path(str(module.__file__)).read_bytes())
    for rel in INPUTS:
        path = data_dir / rel
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.relative_to(data_dir).as_posix().encode())
                with file.open("rb") as handle:
                    digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def load_border(con: duckdb.DuckDBPyConnection, data_dir: Path, previous: Path | None) -> str:
    """Fill the border tables (copied when unchanged, else loaded); return their digest."""
    digest = inputs_digest(data_dir)
    if previous is None or not previous.exists() or not _copy(con, previous, digest):
        load_bts.load_transborder(con, data_dir)
        load_duties.load_duties(con, data_dir)
    return digest


def _copy(con: duckdb.DuckDBPyConnection, previous: Path, digest: str) -> bool:
    """Copy the tables from the previous store if it was built from the same inputs."""
    literal = str(previous).replace("'", "''")  # a configured path, not user input
    try:
        con.execute(f"ATTACH '{literal}' AS previous (READ_ONLY)")
    except duckdb.Error:
        return False
    try:
        rows = con.execute("SELECT value FROM previous.meta WHERE key = ?", [META_KEY]).fetchall()
        if rows != [(digest,)]:
            return False
        con.execute("BEGIN TRANSACTION")
        con.execute(load_bts.SCHEMA)
        con.execute(load_duties.SCHEMA)
        for table in TABLES:  # names from the loaders' constants
            con.execute(f"INSERT INTO {table} SELECT * FROM previous.{table}")
        con.execute("COMMIT")
        return True
    except duckdb.Error:  # damaged or cut short: load from data/ instead
        with contextlib.suppress(duckdb.Error):  # no transaction when the meta read failed
            con.execute("ROLLBACK")
        return False
    finally:
        con.execute("DETACH previous")
